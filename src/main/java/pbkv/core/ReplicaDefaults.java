package pbkv.core;

/**
 * The one place each default of the replica's settings is written. {@link ReplicaSettings#defaults}
 * builds from these, and the Spring shell's {@code @DefaultValue}s are made of them (a constant
 * plus its unit is still a compile-time constant), so a default cannot differ between the two.
 */
public final class ReplicaDefaults {

    public static final int HEARTBEAT_INTERVAL_MS = 100;
    /** Must exceed 2 x the heartbeat interval: one lost heartbeat is no failure. */
    public static final int FAILURE_TIMEOUT_MS = 1000;
    public static final int REPLICATION_TIMEOUT_MS = 1000;
    public static final int WRITE_TIMEOUT_MS = 3000;
    public static final int MIN_IN_SYNC = 1;
    public static final int MAX_BATCH_ENTRIES = 8192;
    public static final int MAX_BATCH_MB = 4;
    public static final int LOG_RETENTION = 1_000_000;
    public static final int SNAPSHOT_CHUNK_ENTRIES = 20_000;
    public static final int MAX_PENDING_OPERATIONS = 10_000;
    /** See KvProperties for how 1M keys and 256 MB fit the heaps nodes run with. */
    public static final long MAX_KEYS = 1_000_000;
    public static final int MAX_MEMORY_MB = 256;

    private ReplicaDefaults() {
    }
}
