package pbkv.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a replica is told at start-up. Validated here so that a bad combination fails at
 * start-up, not during a failover.
 */
public record ReplicaSettings(
        String nodeId,
        List<Member> members,
        String initialPrimary,
        Duration heartbeatInterval,
        Duration failureTimeout,
        Duration leaseDuration,
        Duration replicationTimeout,
        Duration writeTimeout,
        ReplicationMode mode,
        int minInSync,
        int maxBatchEntries,
        long maxBatchBytes,
        int logRetention,
        int snapshotChunkEntries,
        int maxPendingOperations,
        long maxKeys,
        long maxMemoryBytes,
        boolean allowUnsafeTwoNode) {

    public ReplicaSettings {
        members = List.copyOf(members);
        Objects.requireNonNull(nodeId, "node id");
        if (members.stream().noneMatch(m -> m.id().equals(nodeId))) {
            throw new IllegalArgumentException("node " + nodeId + " is not among the members " + members);
        }
        if (members.stream().noneMatch(m -> m.id().equals(initialPrimary) && !m.witness())) {
            throw new IllegalArgumentException("initial primary " + initialPrimary + " must be a data member");
        }
        if (failureTimeout.compareTo(heartbeatInterval.multipliedBy(2)) <= 0) {
            throw new IllegalArgumentException("failure.timeout must exceed 2 x heartbeat.interval, so one lost heartbeat is no failure");
        }
        if (leaseDuration.compareTo(failureTimeout) >= 0) {
            throw new IllegalArgumentException("the lease must be shorter than failure.timeout, or a live lease could block every promotion");
        }
        if (minInSync < 1 || maxBatchEntries < 1 || maxBatchBytes < 1 || snapshotChunkEntries < 1 || maxPendingOperations < 1
                || maxKeys < 1 || maxMemoryBytes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** Defaults of a production node; tests and the Spring shell override what they need. */
    public static ReplicaSettings defaults(String nodeId, List<Member> members, String initialPrimary) {
        return new ReplicaSettings(nodeId, members, initialPrimary, Duration.ofMillis(100), Duration.ofSeconds(1),
                Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(3), ReplicationMode.SYNC, 1,
                8192, 4L << 20, 1_000_000, 20_000, 10_000, 1_000_000, 256L << 20, false);
    }

    public boolean isWitness(String id) {
        return members.stream().anyMatch(m -> m.id().equals(id) && m.witness());
    }

    public long voterCount() {
        return members.size();
    }

    /**
     * Votes needed to accept a configuration. Two voters without a witness cannot tell a dead peer
     * from a cut link: a majority of two is both, unless the operator accepted the split-brain risk.
     */
    public int majority() {
        if (allowUnsafeTwoNode && members.size() == 2) {
            return 1;
        }
        return members.size() / 2 + 1;
    }

    public ReplicaSettings withNodeId(String id) {
        return new ReplicaSettings(id, members, initialPrimary, heartbeatInterval, failureTimeout, leaseDuration,
                replicationTimeout, writeTimeout, mode, minInSync, maxBatchEntries, maxBatchBytes, logRetention,
                snapshotChunkEntries, maxPendingOperations, maxKeys, maxMemoryBytes, allowUnsafeTwoNode);
    }

    /** The same settings with other memory bounds (kv.max-keys, kv.max-memory). */
    public ReplicaSettings withStoreLimits(long keys, long memoryBytes) {
        return new ReplicaSettings(nodeId, members, initialPrimary, heartbeatInterval, failureTimeout, leaseDuration,
                replicationTimeout, writeTimeout, mode, minInSync, maxBatchEntries, maxBatchBytes, logRetention,
                snapshotChunkEntries, maxPendingOperations, keys, memoryBytes, allowUnsafeTwoNode);
    }
}
