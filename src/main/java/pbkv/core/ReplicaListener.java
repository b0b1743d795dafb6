package pbkv.core;

import java.time.Duration;

/** Observes the replica (metrics); must be fast and must not call back into it. */
public interface ReplicaListener {
    ReplicaListener NONE = new ReplicaListener() {
    };

    default void onEvent(ReplicaEvent event) {
    }

    /** Time from a write's append on the primary to its commit. */
    default void onCommitLatency(Duration latency) {
    }

    /** A batch of entries went to a backup: its size shows group commit at work. */
    default void onBatchSent(int entries) {
    }
}
