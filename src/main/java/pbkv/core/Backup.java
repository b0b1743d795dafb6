package pbkv.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a backup does with what its primary sends, once fencing accepted the sender: batches of
 * entries, appended in log order exactly once, and snapshots, staged chunk by chunk and
 * installed whole. Nothing is acknowledged before it is on disk: the replica's step writes it
 * first, and answers STORAGE_FAILED instead if that write fails.
 */
final class Backup {

    /** The answer, and whether this node now holds every entry its primary had committed. */
    record Received(ReplicateReply reply, boolean holdsCommitted) {
    }

    private final ReplicaContext ctx;
    private final Commit commit;
    private final Divergence divergence;
    private long stagingSnapshotId;
    private int stagingNextSequence;
    /** The snapshot being received, null between snapshots. */
    private Map<String, Versioned> staging;

    Backup(ReplicaContext ctx, Commit commit, Divergence divergence) {
        this.ctx = ctx;
        this.commit = commit;
        this.divergence = divergence;
    }

    /** Appends a batch: OK with the last index it shares with the primary, or MISMATCH. */
    Received append(ReplicateRequest request) {
        if (!ctx.log.contains(request.prev())) {
            // A gap (entries lost or reordered) or a position this log does not share: the primary
            // resends from our last position, or sends a snapshot if it does not hold it.
            return notCaughtUp(request.requestId(), ReplicateReply.Status.MISMATCH);
        }
        long matched = request.prev().index();
        List<LogEntry> fresh = new ArrayList<>(request.entries().size());
        boolean diverges = false;
        for (LogEntry entry : request.entries()) {
            if (entry.index() <= ctx.log.lastIndex()) {
                LogPosition mine = ctx.log.positionAt(entry.index());
                if (mine != null && mine.epoch() == entry.epoch()) {
                    matched = entry.index(); // a duplicate: one primary per epoch wrote both
                    continue;
                }
                // Our tail diverges (a deposed primary's unacknowledged writes). The store applied
                // them, so only a snapshot can undo them: answer with a position the primary lacks.
                diverges = true;
                break;
            }
            fresh.add(entry);
        }
        for (LogEntry entry : fresh) {
            ctx.log.append(entry);
            ctx.store.apply(entry);
            ctx.step.append(entry);
            ctx.stats.entriesReplicated.incrementAndGet();
            matched = entry.index();
        }
        if (diverges) {
            return new Received(ctx.reply(request.requestId(), ReplicateReply.Status.MISMATCH, matched), false);
        }
        commit.learn(Math.min(request.commitIndex(), matched));
        return new Received(ctx.reply(request.requestId(), ReplicateReply.Status.OK, matched), matched >= request.commitIndex());
    }

    /** Stages a chunk; the last one replaces the store and the log with the snapshot. */
    Received receive(SnapshotChunk chunk, Instant now) {
        if (staging != null && stagingSnapshotId == chunk.snapshotId() && chunk.sequence() < stagingNextSequence) {
            // A resent chunk whose first copy we applied (its answer was late or lost): nothing to redo.
            return notCaughtUp(chunk.requestId(), ReplicateReply.Status.OK);
        }
        if (chunk.sequence() == 0) {
            staging = new HashMap<>();
            stagingSnapshotId = chunk.snapshotId();
            stagingNextSequence = 0;
            ctx.event(now, "catch-up", "node=" + ctx.me + " receiving snapshot at " + chunk.position() + " from " + chunk.from());
        }
        if (staging == null || stagingSnapshotId != chunk.snapshotId() || stagingNextSequence != chunk.sequence()) {
            staging = null;
            return notCaughtUp(chunk.requestId(), ReplicateReply.Status.MISMATCH);
        }
        for (SnapshotItem item : chunk.items()) {
            staging.put(item.key(), new Versioned(item.value(), item.version()));
        }
        stagingNextSequence++;
        if (!chunk.last()) {
            return notCaughtUp(chunk.requestId(), ReplicateReply.Status.OK);
        }
        List<SnapshotItem> items = new ArrayList<>(staging.size());
        staging.forEach((k, v) -> items.add(new SnapshotItem(k, v.value(), v.version())));
        divergence.beforeSnapshot(chunk.from(), chunk.position(), chunk.history(), now);
        ctx.step.reset(chunk.position(), items);
        ctx.store.replaceWith(staging);
        staging = null;
        ctx.log.resetTo(chunk.position());
        commit.resetTo(Math.min(chunk.commitIndex(), chunk.position().index()));
        ctx.stats.snapshotsInstalled.incrementAndGet();
        ctx.event(now, "catch-up", "node=" + ctx.me + " installed snapshot at " + chunk.position() + " (" + ctx.store.size() + " keys)");
        return new Received(ctx.reply(chunk.requestId(), ReplicateReply.Status.OK, chunk.position().index()),
                chunk.position().index() >= chunk.commitIndex());
    }

    private Received notCaughtUp(long requestId, ReplicateReply.Status status) {
        return new Received(ctx.reply(requestId, status, 0), false);
    }
}
