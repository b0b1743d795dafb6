package pbkv.core;

public enum ReplicationMode {
    /** Acknowledge a write once every in-sync backup has it: no acknowledged write is lost. */
    SYNC,
    /** Acknowledge at once and replicate in the background, as Redis does: a failover can lose acknowledged writes. */
    ASYNC
}
