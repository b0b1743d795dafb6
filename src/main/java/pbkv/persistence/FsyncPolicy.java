package pbkv.persistence;

/** How far an append is forced before the node acknowledges it. */
public enum FsyncPolicy {
    /** Handed to the operating system only: survives a process crash (kill -9), not a power loss. */
    NEVER,
    /** One fsync per append call, that is per replication round: survives a power loss. */
    BATCH,
    /** One fsync per entry: survives a power loss, at the cost of one device flush per write. */
    ALWAYS
}
