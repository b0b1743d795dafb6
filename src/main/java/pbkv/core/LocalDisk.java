package pbkv.core;

import java.time.Instant;
import java.util.Map;

/**
 * This node's durable log as the protocol sees it: what it holds (read back at start and after a
 * failed write, so that memory holds only what is persisted), how far this node's own copy is
 * on disk, and whether writes work.
 */
final class LocalDisk {

    private final ReplicaContext ctx;
    private final DurableLog durable;
    /** The last index the durable log holds: a primary counts its own copy only from then on. */
    private long persistedIndex;
    /** Why the last write to disk failed; null while writes succeed. The node is unhealthy meanwhile. */
    private String failure;
    private Instant nextProbeAt = Instant.MIN;

    LocalDisk(ReplicaContext ctx, DurableLog durable) {
        this.ctx = ctx;
        this.durable = durable;
    }

    /**
     * At start-up every data node reads whatever its data dir holds, whatever role it starts in,
     * and writes its vote at the first start, so that a later start is known to be a restart.
     * Returns whether the data dir held data.
     */
    boolean start(Voter voter, Instant now) {
        boolean hadData = recover(now);
        if (!voter.restarted() && hadData) {
            throw new StorageException("the data dir of " + ctx.me + " holds data but no vote: this node may have promised votes it"
                    + " no longer remembers. Restore its voter.properties, or move the data dir away so that the node rejoins empty"
                    + " and catches up from the primary");
        }
        voter.persistIfNew();
        return hadData;
    }

    /**
     * Rebuilds the store and the retained log from what the durable log holds (disk mode),
     * streamed: nothing but the store and the retained tail is held in memory. Returns whether
     * the data dir held data written before.
     */
    boolean recover(Instant now) {
        ctx.store.replaceWith(Map.of());
        boolean hadData = durable.recover(new DurableLog.RecoverySink() {
            @Override
            public void base(LogPosition base) {
                ctx.log.resetTo(base);
            }

            @Override
            public void snapshotItem(SnapshotItem item) {
                ctx.store.restore(item);
            }

            @Override
            public void entry(LogEntry entry) {
                ctx.log.append(entry);
                ctx.store.apply(entry);
            }
        });
        if (hadData) {
            ctx.event(now, "recovery", "node=" + ctx.me + " recovered " + ctx.store.size() + " keys up to " + ctx.log.last()
                    + " from disk");
        }
        persistedIndex = ctx.log.lastIndex();
        return hadData;
    }

    long persistedIndex() {
        return persistedIndex;
    }

    /** Null while writes succeed, else why the last one failed. */
    String failure() {
        return failure;
    }

    /** A write reached the disk. */
    void written(long lastIndex, Instant now) {
        persistedIndex = lastIndex;
        works(now);
    }

    /** A write failed: counted, logged once per failure, remembered until a write succeeds. */
    void failed(StorageException e, Instant now) {
        ctx.stats.storageFailures.incrementAndGet();
        if (failure == null) {
            ctx.event(now, "storage", "node=" + ctx.me + " storage failed: " + e.getMessage()
                    + "; acknowledging nothing until a write succeeds again");
        }
        failure = e.getMessage();
    }

    /**
     * A node whose disk failed and that has nothing to write (nobody sends it entries) still
     * finds out when the disk works again: it tries a small write once per failure.timeout.
     */
    void probe(Instant now) {
        if (failure == null || now.isBefore(nextProbeAt)) {
            return;
        }
        nextProbeAt = now.plus(ctx.settings.failureTimeout());
        try {
            durable.probe();
        } catch (StorageException stillFailing) {
            return;
        }
        works(now);
    }

    private void works(Instant now) {
        if (failure != null) {
            failure = null;
            ctx.event(now, "storage", "node=" + ctx.me + " storage works again: writes persisted up to " + ctx.log.last());
        }
    }
}
