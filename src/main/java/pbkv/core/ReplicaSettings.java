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

    /** Defaults of a production node ({@link ReplicaDefaults}); tests override what they need with the withers. */
    public static ReplicaSettings defaults(String nodeId, List<Member> members, String initialPrimary) {
        Duration failureTimeout = Duration.ofMillis(ReplicaDefaults.FAILURE_TIMEOUT_MS);
        return new ReplicaSettings(nodeId, members, initialPrimary, Duration.ofMillis(ReplicaDefaults.HEARTBEAT_INTERVAL_MS),
                failureTimeout, defaultLease(failureTimeout), Duration.ofMillis(ReplicaDefaults.REPLICATION_TIMEOUT_MS),
                Duration.ofMillis(ReplicaDefaults.WRITE_TIMEOUT_MS), ReplicationMode.SYNC, ReplicaDefaults.MIN_IN_SYNC,
                ReplicaDefaults.MAX_BATCH_ENTRIES, (long) ReplicaDefaults.MAX_BATCH_MB << 20, ReplicaDefaults.LOG_RETENTION,
                ReplicaDefaults.SNAPSHOT_CHUNK_ENTRIES, ReplicaDefaults.MAX_PENDING_OPERATIONS, ReplicaDefaults.MAX_KEYS,
                (long) ReplicaDefaults.MAX_MEMORY_MB << 20, false);
    }

    /** The lease when none is set: half the failure timeout, so a lease always ends before a successor can be elected. */
    public static Duration defaultLease(Duration failureTimeout) {
        return failureTimeout.dividedBy(2);
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

    /**
     * Which epochs this node may propose: those with {@code epoch % epochSlots() == epochSlot()}.
     * Where each node's own vote is a majority (unsafe two-node mode), both sides of a partition
     * elect themselves; disjoint epochs keep that from ever making two primaries of one epoch, so
     * the later promotion wins when the links heal and one primary writes each epoch. Elsewhere a
     * majority decides and every epoch is open to every node.
     */
    public int epochSlots() {
        return majority() == 1 && members.size() == 2 ? 2 : 1;
    }

    public int epochSlot() {
        return epochSlots() == 1 ? 0 : (int) members.stream().map(Member::id).sorted().takeWhile(id -> !id.equals(nodeId)).count();
    }

    public ReplicaSettings withNodeId(String id) {
        return with(b -> b.nodeId = id);
    }

    public ReplicaSettings withMembers(List<Member> all, String primary) {
        return with(b -> {
            b.members = all;
            b.initialPrimary = primary;
        });
    }

    /** Heartbeat, failure timeout and lease together: they are validated against each other. */
    public ReplicaSettings withTimings(Duration heartbeat, Duration failure, Duration lease) {
        return with(b -> {
            b.heartbeatInterval = heartbeat;
            b.failureTimeout = failure;
            b.leaseDuration = lease;
        });
    }

    public ReplicaSettings withTimeouts(Duration replication, Duration write) {
        return with(b -> {
            b.replicationTimeout = replication;
            b.writeTimeout = write;
        });
    }

    public ReplicaSettings withMode(ReplicationMode m) {
        return with(b -> b.mode = m);
    }

    public ReplicaSettings withMinInSync(int n) {
        return with(b -> b.minInSync = n);
    }

    public ReplicaSettings withBatchLimits(int entries, long bytes) {
        return with(b -> {
            b.maxBatchEntries = entries;
            b.maxBatchBytes = bytes;
        });
    }

    public ReplicaSettings withLogRetention(int entries) {
        return with(b -> b.logRetention = entries);
    }

    public ReplicaSettings withSnapshotChunkEntries(int entries) {
        return with(b -> b.snapshotChunkEntries = entries);
    }

    public ReplicaSettings withMaxPendingOperations(int n) {
        return with(b -> b.maxPendingOperations = n);
    }

    /** The same settings with other memory bounds (kv.max-keys, kv.max-memory). */
    public ReplicaSettings withStoreLimits(long keys, long memoryBytes) {
        return with(b -> {
            b.maxKeys = keys;
            b.maxMemoryBytes = memoryBytes;
        });
    }

    public ReplicaSettings withAllowUnsafeTwoNode(boolean allow) {
        return with(b -> b.allowUnsafeTwoNode = allow);
    }

    /** A copy with some fields changed, validated as a whole by the canonical constructor. */
    private ReplicaSettings with(java.util.function.Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return new ReplicaSettings(f.nodeId, f.members, f.initialPrimary, f.heartbeatInterval, f.failureTimeout,
                f.leaseDuration, f.replicationTimeout, f.writeTimeout, f.mode, f.minInSync, f.maxBatchEntries, f.maxBatchBytes,
                f.logRetention, f.snapshotChunkEntries, f.maxPendingOperations, f.maxKeys, f.maxMemoryBytes, f.allowUnsafeTwoNode);
    }

    /** The record's fields, mutable for the length of one wither. */
    private static final class Fields {
        String nodeId;
        List<Member> members;
        String initialPrimary;
        Duration heartbeatInterval;
        Duration failureTimeout;
        Duration leaseDuration;
        Duration replicationTimeout;
        Duration writeTimeout;
        ReplicationMode mode;
        int minInSync;
        int maxBatchEntries;
        long maxBatchBytes;
        int logRetention;
        int snapshotChunkEntries;
        int maxPendingOperations;
        long maxKeys;
        long maxMemoryBytes;
        boolean allowUnsafeTwoNode;

        Fields(ReplicaSettings s) {
            nodeId = s.nodeId;
            members = s.members;
            initialPrimary = s.initialPrimary;
            heartbeatInterval = s.heartbeatInterval;
            failureTimeout = s.failureTimeout;
            leaseDuration = s.leaseDuration;
            replicationTimeout = s.replicationTimeout;
            writeTimeout = s.writeTimeout;
            mode = s.mode;
            minInSync = s.minInSync;
            maxBatchEntries = s.maxBatchEntries;
            maxBatchBytes = s.maxBatchBytes;
            logRetention = s.logRetention;
            snapshotChunkEntries = s.snapshotChunkEntries;
            maxPendingOperations = s.maxPendingOperations;
            maxKeys = s.maxKeys;
            maxMemoryBytes = s.maxMemoryBytes;
            allowUnsafeTwoNode = s.allowUnsafeTwoNode;
        }
    }
}
