package pbkv.core;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;

/**
 * The divergence rule, in one place: when a snapshot replaces this node's log, the entries of its
 * tail that the sending primary's history lacks are lost writes (a deposed primary's, or one that
 * led alone during a split brain). They are recorded with whether this node had acknowledged
 * them, counted, and logged; in sync mode no acknowledged write may ever be among them.
 */
final class Divergence {

    /** Entries kept for the report; the counters count every one. */
    static final int MAX_KEPT = 1000;

    private final ReplicaContext ctx;
    private final Deque<DroppedEntry> kept = new ArrayDeque<>();
    /** The highest index this node answered success for since it started; acknowledgements go in log order. */
    private long acknowledgedThrough;
    /** After a restart: the epoch this node led last (0 if none); its entries of that epoch may be acknowledged. */
    private long ledBeforeRestart;

    Divergence(ReplicaContext ctx) {
        this.ctx = ctx;
    }

    /** A client got success for the write at {@code index}. */
    void acknowledged(long index) {
        acknowledgedThrough = Math.max(acknowledgedThrough, index);
    }

    /** Started from disk after leading {@code epoch} as primary: what it acknowledged then is not in memory. */
    void restartedAfterLeading(long epoch) {
        ledBeforeRestart = epoch;
    }

    /**
     * Before a snapshot from {@code primary} replaces the log: finds, from the top of the log down,
     * the entries the primary's {@code history} does not hold at their index and epoch, and records
     * them. Entries above the snapshot's position were never the primary's either. The search stops
     * at the first shared entry (all below it are shared) or where the history no longer reaches.
     */
    void beforeSnapshot(String primary, LogPosition snapshotAt, EpochHistory history, Instant now) {
        List<LogEntry> lost = new ArrayList<>();
        for (long i = ctx.log.lastIndex(); i > ctx.log.base().index(); i--) {
            LogEntry mine = ctx.log.entryAt(i);
            if (i <= snapshotAt.index()) {
                OptionalLong theirs = history.epochAt(i);
                if (theirs.isEmpty() || theirs.getAsLong() == mine.epoch()) {
                    break;
                }
            }
            lost.add(mine);
        }
        Collections.reverse(lost); // walked from the top down: now in log order
        long acked = 0;
        for (LogEntry e : lost) {
            Boolean ack = acknowledgedHere(e);
            acked += Boolean.TRUE.equals(ack) ? 1 : 0;
            kept.addLast(new DroppedEntry(e.key(), e.value(), e.epoch(), e.index(), ack, now, primary));
            if (kept.size() > MAX_KEPT) {
                kept.removeFirst();
            }
        }
        // What this node holds from now on is the primary's: none of it was acknowledged here.
        acknowledgedThrough = 0;
        ledBeforeRestart = 0;
        if (lost.isEmpty()) {
            return;
        }
        ctx.stats.divergentDropped.addAndGet(lost.size());
        ctx.stats.divergentAcknowledged.addAndGet(acked);
        ctx.event(now, "divergence", "node=" + ctx.me + " dropped " + lost.size() + " entries (" + lost.get(0).position()
                + " to " + lost.get(lost.size() - 1).position() + ") that primary " + primary + " never had; " + acked
                + " of them acknowledged to clients");
    }

    DivergenceReport report() {
        return new DivergenceReport(ctx.stats.divergentDropped.get(), ctx.stats.divergentAcknowledged.get(), List.copyOf(kept));
    }

    private Boolean acknowledgedHere(LogEntry e) {
        if (e.index() <= acknowledgedThrough) {
            return true;
        }
        if (e.epoch() == ledBeforeRestart) {
            // In async mode a primary answers every write its disk holds; in sync mode only the
            // committed ones, and the commit index did not survive the restart.
            return ctx.settings.mode() == ReplicationMode.ASYNC ? Boolean.TRUE : null;
        }
        return false;
    }
}
