package pbkv.core;

/** What a node does in the current configuration. Only {@link Replica}'s become* methods change it. */
public enum Role {
    /** Accepts writes for its epoch and replicates them to the in-sync backups. */
    PRIMARY,
    /** In the in-sync set: holds every committed write and may be promoted. */
    BACKUP,
    /** Campaigning for the next epoch after the primary went silent. */
    CANDIDATE,
    /** Not in the in-sync set, or restarted without its data: catches up, never campaigns. */
    STALE,
    /** Votes and acknowledges heartbeats, stores no data. */
    WITNESS
}
