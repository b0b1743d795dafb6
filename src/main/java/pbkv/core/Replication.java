package pbkv.core;

import static pbkv.core.ReplicaContext.elapsed;
import static pbkv.core.ReplicaContext.sorted;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A primary's replication to each peer ({@link PeerProgress}): what it sends (batches, probes,
 * snapshot chunks), what the answers tell it, how a peer behind catches up, and which peers
 * belong in the in-sync set. Empty unless this node is primary.
 */
final class Replication {

    private final ReplicaContext ctx;
    private final Replica replica;
    private final Lease lease;
    private final Commit commit;
    private final Election election;
    private final Map<String, PeerProgress> peers = new LinkedHashMap<>();

    Replication(ReplicaContext ctx, Replica replica, Lease lease, Commit commit, Election election) {
        this.ctx = ctx;
        this.replica = replica;
        this.lease = lease;
        this.commit = commit;
        this.election = election;
    }

    /** A new primary starts every peer at its own log's end; the answers say where each really is. */
    void startAsPrimary(Instant now) {
        peers.clear();
        for (Member m : ctx.settings.members()) {
            if (!m.id().equals(ctx.me)) {
                peers.put(m.id(), new PeerProgress(m.id(), m.witness(), ctx.log.lastIndex() + 1, now));
            }
        }
    }

    void stop() {
        peers.clear();
    }

    void sendToAll(Instant now, boolean heartbeat) {
        for (PeerProgress peer : peers.values()) {
            trySend(peer, now, heartbeat);
        }
    }

    /** An answer to one of this primary's requests. */
    void onReply(ReplicateReply reply, Instant now) {
        Configuration active = replica.active();
        if (reply.status() == ReplicateReply.Status.STALE_EPOCH) {
            // (A configuration of our own is our pending reconfiguration: the peer still accepts us.)
            replica.observeNewerConfiguration(reply.config(), reply.from(), now, reply.from() + " refuses epoch " + active.epoch()
                    + ": it promised epoch " + reply.config().epoch() + " to " + reply.config().primary());
            return;
        }
        PeerProgress peer = peers.get(reply.from());
        Instant sentAt = peer == null ? null : peer.answered(reply.requestId());
        if (sentAt == null) {
            return; // unknown, or asked before the latest catch-up plan: it proves nothing now
        }
        // A late answer still counts: the peer held those entries, and heard from us, when it sent it.
        peer.lastAckAt = now;
        lease.renew(peer.id, sentAt);
        boolean current = reply.requestId() == peer.inFlightId;
        if (reply.status() == ReplicateReply.Status.STORAGE_FAILED) {
            // The batch stays in flight: resent once it counts as lost, so a sick disk is retried
            // at that pace, not in a loop. Meanwhile the in-sync rule drops the peer.
            if (!peer.storageFailed) {
                ctx.event(now, "storage", "node=" + ctx.me + " peer " + peer.id + " cannot persist what it is sent");
            }
            peer.storageFailed = true;
            return;
        }
        if (current) {
            peer.clearInFlight();
            if (reply.status() == ReplicateReply.Status.OK) {
                peer.storageFailed = false;
            }
        }
        if (reply.status() == ReplicateReply.Status.OK && peer.snapshot != null) {
            if (current) {
                advanceSnapshot(peer, now); // chunks go one at a time: only the current one's answer moves on
            }
        } else if (reply.status() == ReplicateReply.Status.OK && !peer.witness) {
            acknowledged(peer, reply.matched(), active, now);
        } else if (reply.status() == ReplicateReply.Status.MISMATCH && (current || !peer.hasRequestInFlight())) {
            // A probe's mismatch while a batch is out says nothing the batch's answer will not.
            planCatchUp(peer, reply.last(), now);
        }
        replica.advanceCommit(now);
        trySend(peer, now, false);
    }

    private void acknowledged(PeerProgress peer, long matched, Configuration active, Instant now) {
        peer.acked = true;
        peer.matchIndex = Math.max(peer.matchIndex, matched);
        peer.nextIndex = Math.max(peer.nextIndex, matched + 1);
        if (peer.catchingUp && peer.matchIndex >= ctx.log.lastIndex()) {
            peer.catchingUp = false;
            ctx.event(now, "catch-up", "node=" + ctx.me + " peer " + peer.id + " caught up to index " + peer.matchIndex);
        }
        if (!active.isInSync(peer.id) && !peer.storageFailed && ctx.log.lastIndex() - peer.matchIndex <= ctx.settings.maxBatchEntries()) {
            // Within one batch of the end: commits now wait for it too, so under a steady
            // stream of writes the commit index cannot keep running ahead of it and it can
            // be found caught up (reviewInSyncSet) and join.
            peer.joining = true;
        }
    }

    /** A peer answered that it lacks the position it was sent from: a new plan from its last position. */
    private void planCatchUp(PeerProgress peer, LogPosition backupLast, Instant now) {
        peer.snapshot = null;
        peer.firstCurrentRequestId = ctx.nextRequestId();
        if (resumesFrom(peer, backupLast, now)) {
            peer.matchIndex = backupLast.index();
            peer.nextIndex = backupLast.index() + 1;
            if (!peer.catchingUp && backupLast.index() < ctx.log.lastIndex()) {
                ctx.event(now, "catch-up", "node=" + ctx.me + " peer " + peer.id + " incremental catch-up from index "
                        + backupLast.index() + " to " + ctx.log.lastIndex());
            }
        }
        peer.catchingUp = true;
    }

    /**
     * The catch-up rule, in one place: a peer gets entries after {@code from} if this log still
     * holds that position; otherwise (too far behind, or a divergent tail from an older epoch)
     * it gets a snapshot of the store. The snapshot (a copy of the store) is built only for a
     * peer that answers. Returns whether the peer gets entries.
     */
    private boolean resumesFrom(PeerProgress peer, LogPosition from, Instant now) {
        if (from != null && ctx.log.contains(from)) {
            return true;
        }
        if (peer.snapshot == null && !silent(peer, now)) {
            startSnapshot(peer, now);
        }
        return false;
    }

    private void startSnapshot(PeerProgress peer, Instant now) {
        PeerProgress.OutgoingSnapshot snapshot = PeerProgress.OutgoingSnapshot.of(ctx.newRequestId(), ctx.log.last(), EpochHistory.of(ctx.log), ctx.store.copy(),
                ctx.settings.snapshotChunkEntries(), ctx.settings.maxBatchBytes());
        peer.snapshot = snapshot;
        peer.snapshotSequence = 0;
        peer.firstCurrentRequestId = ctx.nextRequestId();
        peer.catchingUp = true;
        ctx.stats.snapshotsSent.incrementAndGet();
        ctx.event(now, "catch-up", "node=" + ctx.me + " peer " + peer.id + " sending snapshot of " + snapshot.items().size()
                + " keys at " + snapshot.position());
    }

    private void advanceSnapshot(PeerProgress peer, Instant now) {
        peer.snapshotSequence++;
        if (peer.snapshotSequence < peer.snapshot.chunks()) {
            return;
        }
        LogPosition at = peer.snapshot.position();
        peer.snapshot = null;
        peer.matchIndex = at.index();
        peer.nextIndex = at.index() + 1;
        ctx.event(now, "catch-up", "node=" + ctx.me + " peer " + peer.id + " installed snapshot at " + at);
    }

    /**
     * One batch in flight per peer; the next carries everything appended meanwhile (group
     * commit). While a batch is out, an empty probe per heartbeat keeps the peer's failure
     * detector and our lease fed; a batch is sent again only when it is probably lost.
     */
    private void trySend(PeerProgress peer, Instant now, boolean heartbeat) {
        boolean heartbeatDue = heartbeat
                && (peer.lastSentAt == null || elapsed(peer.lastSentAt, now).compareTo(ctx.settings.heartbeatInterval()) >= 0);
        if (peer.witness) {
            if (heartbeatDue) {
                send(peer, new ReplicateRequest(ctx.me, ctx.newRequestId(), replica.active(), ctx.log.last(), List.of(), commit.index()),
                        now, false);
            }
            return;
        }
        if (peer.hasRequestInFlight()) {
            boolean probablyLost = elapsed(peer.inFlightSentAt, now).compareTo(resendAfter(ctx.settings)) >= 0;
            // A silent peer (paused, cut off, dead) gets probes until it answers, not the batch
            // again: every resend to a paused peer waits in its socket queue, and on resuming it
            // would apply them all before anything current.
            if (!probablyLost || silent(peer, now)) {
                if (heartbeatDue) {
                    send(peer, probe(peer), now, false);
                }
                return;
            }
            ctx.stats.heartbeatsMissed.incrementAndGet(); // lost or very late: send it again (idempotent)
        }
        if (peer.snapshot == null) {
            LogPosition prev = ctx.log.positionAt(peer.nextIndex - 1);
            if (resumesFrom(peer, prev, now)) {
                sendEntries(peer, prev, now, heartbeatDue);
                return;
            }
            if (peer.snapshot == null) {
                if (heartbeatDue) {
                    send(peer, probe(peer), now, false);
                }
                return;
            }
        }
        PeerProgress.OutgoingSnapshot s = peer.snapshot;
        send(peer, new SnapshotChunk(ctx.me, ctx.newRequestId(), replica.active(), s.id(), s.position(), peer.snapshotSequence,
                s.chunk(peer.snapshotSequence), peer.snapshotSequence == s.chunks() - 1, commit.index(), s.history()), now, true);
    }

    private void sendEntries(PeerProgress peer, LogPosition prev, Instant now, boolean heartbeatDue) {
        List<LogEntry> entries = ctx.log.slice(peer.nextIndex, ctx.settings.maxBatchEntries(), ctx.settings.maxBatchBytes());
        if (entries.isEmpty() && !heartbeatDue) {
            return;
        }
        ReplicateRequest request = new ReplicateRequest(ctx.me, ctx.newRequestId(), replica.active(), prev, entries, commit.index());
        if (!entries.isEmpty()) {
            ctx.listener.onBatchSent(entries.size());
        }
        send(peer, request, now, true);
    }

    /** An empty request at a position the peer is known to hold (else our last): an answer proves it is alive. */
    private ReplicateRequest probe(PeerProgress peer) {
        LogPosition at = peer.acked ? ctx.log.positionAt(peer.matchIndex) : null;
        return new ReplicateRequest(ctx.me, ctx.newRequestId(), replica.active(), at == null ? ctx.log.last() : at, List.of(),
                commit.index());
    }

    private void send(PeerProgress peer, PeerRequest request, Instant now, boolean batch) {
        if (batch) {
            peer.inFlightId = request.requestId();
            peer.inFlightSentAt = now;
        }
        if (request instanceof ReplicateRequest r && r.entries().isEmpty()) {
            ctx.stats.heartbeatsSent.incrementAndGet();
        }
        peer.lastSentAt = now;
        peer.sent(request.requestId(), now);
        ctx.step.send(peer.id, request);
    }

    /** Whether the peer has answered nothing for longer than replication.timeout. */
    private boolean silent(PeerProgress peer, Instant now) {
        return elapsed(peer.lastAckAt, now).compareTo(ctx.settings.replicationTimeout()) > 0;
    }

    /** How long a batch may go unanswered before it counts as lost: the peer client gives up by replication.timeout. */
    static Duration resendAfter(ReplicaSettings settings) {
        Duration half = settings.replicationTimeout().dividedBy(2);
        Duration threeBeats = settings.heartbeatInterval().multipliedBy(3);
        return half.compareTo(threeBeats) > 0 ? half : threeBeats;
    }

    /**
     * The primary's in-sync rule: drop a backup silent for replication.timeout (or whose disk
     * fails), add a caught-up stale one. Either is a proposal; until a majority accepts, commits
     * still wait for the members of both the old and the proposed set.
     */
    void reviewInSyncSet(Instant now) {
        Configuration active = replica.active();
        for (PeerProgress peer : peers.values()) {
            if (peer.joining && (active.isInSync(peer.id) || silent(peer, now) || peer.storageFailed)) {
                peer.joining = false; // joined, or it stopped answering: commits no longer wait for it
            }
        }
        if (!election.mayPropose(now)) {
            return;
        }
        for (String id : sorted(active.inSync())) {
            PeerProgress peer = peers.get(id);
            if (peer != null && (silent(peer, now) || peer.storageFailed)) {
                Set<String> smaller = new HashSet<>(active.inSync());
                smaller.remove(id);
                election.proposeInSync(smaller, peer.storageFailed ? "backup '" + id + "' cannot persist what it is sent"
                        : "backup '" + id + "' did not answer within replication.timeout=" + ctx.settings.replicationTimeout().toMillis()
                        + " ms", now);
                return;
            }
        }
        for (PeerProgress peer : peers.values()) {
            // Caught up means holding every committed entry: from the proposal on, commits wait for
            // the joiner too, so once added it can never lack an acknowledged write.
            boolean caughtUp = peer.matchIndex >= commit.index() && peer.snapshot == null;
            boolean responsive = peer.acked
                    && elapsed(peer.lastAckAt, now).compareTo(ctx.settings.heartbeatInterval().multipliedBy(3)) < 0;
            if (!peer.witness && !active.isInSync(peer.id) && caughtUp && responsive && !peer.storageFailed) {
                Set<String> larger = new HashSet<>(active.inSync());
                larger.add(peer.id);
                election.proposeInSync(larger, "backup '" + peer.id + "' caught up to index " + peer.matchIndex, now);
                return;
            }
        }
    }

    /** The peers that commits wait for although outside the in-sync set (see {@link PeerProgress#joining}). */
    Set<String> joining() {
        Set<String> ids = new HashSet<>();
        for (PeerProgress peer : peers.values()) {
            if (peer.joining) {
                ids.add(peer.id);
            }
        }
        return ids;
    }

    /** The lowest index every one of these peers holds (this node itself is not a peer). */
    long lowestMatchIndex(Set<String> ids) {
        long lowest = Long.MAX_VALUE;
        for (String id : ids) {
            PeerProgress peer = peers.get(id);
            if (peer != null) {
                lowest = Math.min(lowest, peer.matchIndex);
            }
        }
        return lowest;
    }

    List<ReplicaView.PeerView> views(Configuration active) {
        List<ReplicaView.PeerView> views = new ArrayList<>();
        for (PeerProgress p : peers.values()) {
            views.add(new ReplicaView.PeerView(p.id, p.witness, active.isInSync(p.id), p.matchIndex,
                    p.witness ? 0 : Math.max(0, ctx.log.lastIndex() - p.matchIndex), lease.acknowledged(p.id) ? p.lastAckAt : null,
                    p.catchingUp || p.snapshot != null));
        }
        return views;
    }
}
