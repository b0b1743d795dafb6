package pbkv.core;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A consistent snapshot of a replica's state for health, /cluster and metrics.
 * {@code storageFailure} is why the last write to disk failed, null while writes succeed.
 */
public record ReplicaView(String nodeId, Role role, long epoch, String primary, Set<String> inSync,
                          long promisedEpoch, LogPosition last, long commitIndex, int keys, boolean leaseValid,
                          boolean dataIntact, String unavailableReason, String storageFailure, List<PeerView> peers,
                          List<ReplicaEvent> recentEvents) {

    /** The primary's view of one peer; {@code lastContact} null when never heard from. */
    public record PeerView(String id, boolean witness, boolean inSync, long matchIndex, long lag,
                           Instant lastContact, boolean catchingUp) {
    }
}
