package pbkv.core;

import java.util.concurrent.atomic.AtomicLong;

/** Counters the replica keeps for observers; read without the replica's lock. */
public final class ReplicaStats {
    public final AtomicLong heartbeatsSent = new AtomicLong();
    public final AtomicLong heartbeatsMissed = new AtomicLong();
    public final AtomicLong promotions = new AtomicLong();
    public final AtomicLong uncleanPromotions = new AtomicLong();
    public final AtomicLong epochChanges = new AtomicLong();
    public final AtomicLong writesCommitted = new AtomicLong();
    public final AtomicLong writesRejected = new AtomicLong();
    public final AtomicLong writesUnknown = new AtomicLong();
    public final AtomicLong readsRejected = new AtomicLong();
    public final AtomicLong entriesReplicated = new AtomicLong();
    public final AtomicLong snapshotsSent = new AtomicLong();
    public final AtomicLong snapshotsInstalled = new AtomicLong();
    public final AtomicLong staleEpochRejections = new AtomicLong();
    public final AtomicLong storageFailures = new AtomicLong();
    /** Entries dropped on a snapshot because the new primary never had them, and how many were acknowledged. */
    public final AtomicLong divergentDropped = new AtomicLong();
    public final AtomicLong divergentAcknowledged = new AtomicLong();
}
