package pbkv.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The replication protocol of one node, as a state machine: every input is a method call with
 * the current time passed in (a client operation, a peer request, a peer reply, a clock tick);
 * every output goes through {@link Transport#send}, which never blocks. Every step runs under
 * one lock: the protocol state is small and each step is microseconds, so one lock keeps it
 * obviously consistent. A step only describes what it writes to disk, sends and decides (a
 * {@link Ready}); those are done after it lets go of the lock ({@link #afterStep}), in step
 * order: an fsync, a socket write and a future's callbacks (HTTP answers) are not microseconds.
 *
 * <p>This class is longer than our usual ~200 lines because it is the protocol: the roles and
 * their transitions are kept together so that a reader sees every writer of {@code role} here.
 * The vote rule lives in {@link Voter}, the log in {@link ReplicationLog}. Where each rule is:
 * promotion {@link #tick} / {@link #startProposal} / {@link Voter#refusal}; fencing
 * {@link #acceptsPrimary}; commit {@link #advanceCommit}; catch-up {@link #onReplicateReply};
 * a failed disk {@link #storageFailed}.
 */
public final class Replica {

    private static final System.Logger LOG = System.getLogger("pbkv.replica");
    private static final int MAX_EVENTS = 200;

    private final ReplicaSettings settings;
    private final String me;
    private final boolean witness;
    private final Transport transport;
    private final Random random;
    private final ReplicaListener listener;
    private final ReplicaStats stats = new ReplicaStats();
    private final Voter voter;
    private final DurableLog durable;
    private final KeyValueStore store = new KeyValueStore();
    private final ReplicationLog log;
    private final Deque<ReplicaEvent> events = new ArrayDeque<>();
    /** What the current step makes: writes, requests, outcomes (used under the lock only). */
    private final Ready.Builder step = new Ready.Builder();
    /** Steps' output in step order, written, sent and answered once the lock is released ({@link #afterStep}). */
    private final ConcurrentLinkedQueue<Ready> readies = new ConcurrentLinkedQueue<>();
    /** Held while writing to disk, outside the replica's lock: one writer, in step order. */
    private final ReentrantLock diskLock = new ReentrantLock();

    private Role role;
    /** The configuration this node acts on: a primary's won configuration, a follower's primary's. */
    private Configuration active;
    /** False after a restart without data until caught up: such a node never campaigns. */
    private boolean dataIntact;
    private long commitIndex;
    private Instant lastHeardFromPrimary;
    private String heardPrimary;
    private long nextRequestId = 1;
    /** Why the last write to disk failed; null while writes succeed. The node is unhealthy meanwhile. */
    private String storageFailure;
    private Instant nextStorageProbeAt = Instant.MIN;
    /** The newest epoch a refusal told us of: not a promise of ours, but our next proposal must go beyond it. */
    private long newestEpochSeen;

    private final Map<String, PeerProgress> peers = new LinkedHashMap<>();
    /** The last index this node's durable log holds: a primary counts its own copy only from then on. */
    private long persistedIndex;
    private final TreeMap<Long, List<PendingOperation>> pending = new TreeMap<>();
    private int pendingCount;
    private Proposal proposal;
    private Instant nextProposalAt;

    private long stagingSnapshotId;
    private int stagingNextSequence;
    private Map<String, Versioned> staging;

    public Replica(ReplicaSettings settings, Transport transport, VoterStore voterStore, Random random,
                   ReplicaListener listener, Instant now) {
        this(settings, transport, voterStore, DurableLog.NONE, random, listener, now);
    }

    public Replica(ReplicaSettings settings, Transport transport, VoterStore voterStore, DurableLog durable, Random random,
                   ReplicaListener listener, Instant now) {
        this.settings = settings;
        this.me = settings.nodeId();
        this.witness = settings.isWitness(me);
        this.transport = transport;
        this.random = random;
        this.listener = listener;
        this.log = new ReplicationLog(settings.logRetention());
        this.durable = durable;
        Configuration genesis = Configuration.genesis(settings.initialPrimary());
        this.voter = new Voter(voterStore, genesis);
        this.active = voter.config();
        this.lastHeardFromPrimary = now;
        this.nextProposalAt = now;
        if (witness) {
            voter.persistIfNew();
            role = Role.WITNESS;
            event(now, "role", "node=" + me + " role=WITNESS epoch=" + active.epoch() + " reason=\"started\"");
            return;
        }
        // Every data node reads whatever its data dir holds, whatever role it starts in.
        boolean hadData = recover(now);
        persistedIndex = log.lastIndex();
        boolean newNode = !voter.restarted() && !hadData;
        if (!voter.restarted() && hadData) {
            throw new StorageException("the data dir of " + me + " holds data but no vote: this node may have promised votes it no"
                    + " longer remembers. Restore its voter.properties, or move the data dir away so that the node rejoins empty"
                    + " and catches up from the primary");
        }
        voter.persistIfNew(); // from the first start on, a restart is told apart from a new node
        if (newNode && me.equals(settings.initialPrimary())) {
            dataIntact = true;
            becomePrimary(genesis, now, "initial primary of a new cluster");
        } else if (hadData) {
            dataIntact = true;
            becomeFollower(active, now, "restarted with its data up to " + log.last());
        } else {
            becomeFollower(active, now, newNode ? "started" : "restarted without data: stale until caught up");
        }
        seal(now);
        afterStep();
    }

    /**
     * Rebuilds the store and the retained log from what the durable log holds (disk mode),
     * streamed: nothing but the store and the retained tail is held in memory. Returns whether
     * the data dir held data written before.
     */
    private boolean recover(Instant now) {
        store.replaceWith(Map.of());
        boolean hadData = durable.recover(new DurableLog.RecoverySink() {
            @Override
            public void base(LogPosition base) {
                log.resetTo(base);
            }

            @Override
            public void snapshotItem(SnapshotItem item) {
                store.restore(item);
            }

            @Override
            public void entry(LogEntry entry) {
                log.append(entry);
                store.apply(entry);
            }
        });
        if (hadData) {
            event(now, "recovery", "node=" + me + " recovered " + store.size() + " keys up to " + log.last() + " from disk");
        }
        return hadData;
    }

    // ---------------------------------------------------------------- client operations

    /** A put ({@code value != null}) or delete, with an optional If-Match version. */
    public CompletableFuture<Outcome> write(String key, String value, Long expectedVersion, Instant now) {
        return writeAll(List.of(new ClientWrite(key, value, expectedVersion)), now).get(0);
    }

    /**
     * Several clients' writes in one step, in list order, as if written one after another (each
     * sees the ones before it). The lock is taken once and the backups get them in one batch:
     * the web layer combines concurrent requests into one call ({@code WriteCombiner}).
     */
    public List<CompletableFuture<Outcome>> writeAll(List<ClientWrite> writes, Instant now) {
        return thenAnswer(now, () -> writeAllLocked(writes, now));
    }

    private synchronized List<CompletableFuture<Outcome>> writeAllLocked(List<ClientWrite> writes, Instant now) {
        List<CompletableFuture<Outcome>> results = new ArrayList<>(writes.size());
        long lastBefore = log.lastIndex();
        for (ClientWrite w : writes) {
            results.add(writeOne(w, now));
        }
        if (log.lastIndex() > lastBefore) {
            // Sent once written to this node's disk (afterStep); committed from the replies, and in
            // async mode once on this disk, before any backup has them (the documented price).
            sendToPeers(now, false);
        }
        return results;
    }

    private CompletableFuture<Outcome> writeOne(ClientWrite w, Instant now) {
        if (role != Role.PRIMARY) {
            return done(new Outcome.NotPrimary(primaryHint(now)));
        }
        if (active.inSync().size() < settings.minInSync()) {
            stats.writesRejected.incrementAndGet();
            return done(new Outcome.Unavailable("in-sync set " + active.inSync() + " is smaller than replication.min-in-sync="
                    + settings.minInSync(), false));
        }
        if (pendingCount >= settings.maxPendingOperations()) {
            stats.writesRejected.incrementAndGet();
            return done(new Outcome.Unavailable("too many operations waiting for replication", false));
        }
        Versioned current = store.get(w.key());
        Long expected = w.expectedVersion();
        if (expected != null && (current == null || current.version() != expected)) {
            // A failed precondition is a read: answer it only once what it saw is committed.
            return awaitCommit(log.lastIndex(), false, new Outcome.PreconditionFailed(w.key(), current == null ? null : current.version()), now);
        }
        if (w.value() == null && current == null) {
            return awaitCommit(log.lastIndex(), false, new Outcome.NotFound(w.key(), false), now);
        }
        // The memory bound: refused before it is appended, so nothing changes and no version is used.
        Outcome.StoreFull full = w.value() == null ? null
                : store.refusal(w.key(), w.value(), settings.maxKeys(), settings.maxMemoryBytes());
        if (full != null) {
            stats.writesRejected.incrementAndGet();
            return done(full);
        }
        LogEntry entry = new LogEntry(active.epoch(), log.lastIndex() + 1, w.key(), w.value());
        step.append(entry); // on disk before any acknowledgement (advanceCommit counts persistedIndex)
        log.append(entry);
        store.apply(entry);
        Outcome result = w.value() == null ? new Outcome.NotFound(w.key(), true)
                : new Outcome.Value(w.key(), new Versioned(w.value(), entry.index()));
        return awaitCommit(entry.index(), true, result, now);
    }

    /** A linearizable read: only the primary, under its lease, once what it read is committed. */
    public CompletableFuture<Outcome> read(String key, Instant now) {
        return thenAnswer(now, () -> readLocked(key, now));
    }

    private synchronized CompletableFuture<Outcome> readLocked(String key, Instant now) {
        if (role != Role.PRIMARY) {
            return done(new Outcome.NotPrimary(primaryHint(now)));
        }
        if (!leaseValid(now)) {
            return done(new Outcome.Unavailable("primary lease expired: cannot prove it is still the primary", false));
        }
        if (pendingCount >= settings.maxPendingOperations()) {
            stats.readsRejected.incrementAndGet(); // a waiting read holds memory like a waiting write
            return done(new Outcome.Unavailable("too many operations waiting for replication", false));
        }
        Versioned current = store.get(key);
        Outcome outcome = current == null ? new Outcome.NotFound(key, false) : new Outcome.Value(key, current);
        return awaitCommit(log.lastIndex(), false, outcome, now);
    }

    /** This node's own copy (any role): the explicit non-linearizable read. */
    public Versioned readLocal(String key) {
        return store.get(key);
    }

    public KeyValueStore store() {
        return store;
    }

    // ---------------------------------------------------------------- time

    /** Called often (every few ms) by the heartbeat bean: timeouts, heartbeats, campaigns. */
    public void tick(Instant now) {
        thenAnswer(now, () -> {
            tickLocked(now);
            return null;
        });
    }

    private synchronized void tickLocked(Instant now) {
        expirePending(now);
        probeStorage(now);
        switch (role) {
            case PRIMARY -> {
                sendToPeers(now, true);
                expireProposal(now);
                reviewInSyncSet(now);
            }
            case BACKUP -> {
                expireProposal(now);
                if (proposal == null && canCampaign() && !now.isBefore(nextProposalAt)
                        && elapsed(lastHeardFromPrimary, now).compareTo(settings.failureTimeout()) > 0) {
                    stats.heartbeatsMissed.incrementAndGet();
                    // A restarted former primary finds itself named: nobody has been heard from since.
                    String silent = active.primary().equals(me) ? "restarted; no primary heard from" : "primary " + active.primary() + " silent";
                    startElection(now, false, silent + " for " + elapsed(lastHeardFromPrimary, now).toMillis() + " ms");
                }
            }
            case CANDIDATE -> {
                expireProposal(now);
                if (proposal == null && canCampaign() && !now.isBefore(nextProposalAt)) {
                    startElection(now, false, "retrying after back-off");
                }
            }
            case STALE, WITNESS -> {
                // Stale nodes wait to be caught up by a primary; witnesses only answer.
            }
        }
    }

    /** Operator's unclean promotion: this node becomes primary even if stale. May lose writes. */
    public String forcePromote(Instant now) {
        return thenAnswer(now, () -> forcePromoteLocked(now));
    }

    private synchronized String forcePromoteLocked(Instant now) {
        if (witness) {
            return "a witness holds no data and cannot be promoted";
        }
        if (role == Role.PRIMARY) {
            return "already primary";
        }
        dataIntact = true;
        event(now, "unsafe", "node=" + me + " operator forced an unclean promotion: acknowledged writes may be lost");
        startElection(now, true, "operator forced unclean promotion");
        return null;
    }

    // ---------------------------------------------------------------- peer requests (this node answers)

    public ReplicateReply onReplicate(ReplicateRequest request, Instant now) {
        return thenAnswer(now, () -> onReplicateLocked(request, now), this::notWritten);
    }

    private synchronized ReplicateReply onReplicateLocked(ReplicateRequest request, Instant now) {
        if (!acceptsPrimary(request.from(), request.config())) {
            stats.staleEpochRejections.incrementAndGet();
            return reply(request, ReplicateReply.Status.STALE_EPOCH, 0);
        }
        followPrimary(request.from(), request.config(), now);
        if (witness) {
            return reply(request, ReplicateReply.Status.OK, 0);
        }
        if (!log.contains(request.prev())) {
            // A gap (entries lost or reordered) or a position this log does not share: the primary
            // resends from our last position, or sends a snapshot if it does not hold it.
            return reply(request, ReplicateReply.Status.MISMATCH, 0);
        }
        long matched = request.prev().index();
        List<LogEntry> fresh = new ArrayList<>(request.entries().size());
        boolean diverges = false;
        for (LogEntry entry : request.entries()) {
            if (entry.index() <= log.lastIndex()) {
                LogPosition mine = log.positionAt(entry.index());
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
        // Acknowledged only once on disk (afterStep): if the write fails, the answer is
        // STORAGE_FAILED and the node reads its disk back, so it holds none of these entries.
        for (LogEntry entry : fresh) {
            log.append(entry);
            store.apply(entry);
            step.append(entry);
            stats.entriesReplicated.incrementAndGet();
            matched = entry.index();
        }
        if (diverges) {
            return reply(request, ReplicateReply.Status.MISMATCH, matched);
        }
        commitIndex = Math.max(commitIndex, Math.min(request.commitIndex(), matched));
        if (!dataIntact && matched >= request.commitIndex()) {
            dataIntact = true;
            event(now, "catch-up", "node=" + me + " caught up to committed index " + request.commitIndex() + " from " + request.from());
            refreshFollowerRole(now, "caught up");
        }
        return reply(request, ReplicateReply.Status.OK, matched);
    }

    public ReplicateReply onSnapshot(SnapshotChunk chunk, Instant now) {
        return thenAnswer(now, () -> onSnapshotLocked(chunk, now), this::notWritten);
    }

    private synchronized ReplicateReply onSnapshotLocked(SnapshotChunk chunk, Instant now) {
        if (!acceptsPrimary(chunk.from(), chunk.config())) {
            stats.staleEpochRejections.incrementAndGet();
            return new ReplicateReply(me, chunk.requestId(), ReplicateReply.Status.STALE_EPOCH, 0, log.last(), voter.config());
        }
        followPrimary(chunk.from(), chunk.config(), now);
        if (staging != null && stagingSnapshotId == chunk.snapshotId() && chunk.sequence() < stagingNextSequence) {
            // A resent chunk whose first copy we applied (its answer was late or lost): nothing to redo.
            return new ReplicateReply(me, chunk.requestId(), ReplicateReply.Status.OK, 0, log.last(), voter.config());
        }
        if (chunk.sequence() == 0) {
            staging = new HashMap<>();
            stagingSnapshotId = chunk.snapshotId();
            stagingNextSequence = 0;
            event(now, "catch-up", "node=" + me + " receiving snapshot at " + chunk.position() + " from " + chunk.from());
        }
        if (staging == null || stagingSnapshotId != chunk.snapshotId() || stagingNextSequence != chunk.sequence()) {
            staging = null;
            return new ReplicateReply(me, chunk.requestId(), ReplicateReply.Status.MISMATCH, 0, log.last(), voter.config());
        }
        for (SnapshotItem item : chunk.items()) {
            staging.put(item.key(), new Versioned(item.value(), item.version()));
        }
        stagingNextSequence++;
        if (!chunk.last()) {
            return new ReplicateReply(me, chunk.requestId(), ReplicateReply.Status.OK, 0, log.last(), voter.config());
        }
        List<SnapshotItem> items = new ArrayList<>(staging.size());
        staging.forEach((k, v) -> items.add(new SnapshotItem(k, v.value(), v.version())));
        step.reset(chunk.position(), items);
        store.replaceWith(staging);
        staging = null;
        log.resetTo(chunk.position());
        commitIndex = Math.min(chunk.commitIndex(), chunk.position().index());
        stats.snapshotsInstalled.incrementAndGet();
        event(now, "catch-up", "node=" + me + " installed snapshot at " + chunk.position() + " (" + store.size() + " keys)");
        if (!dataIntact && chunk.position().index() >= chunk.commitIndex()) {
            dataIntact = true;
            refreshFollowerRole(now, "installed snapshot");
        }
        return new ReplicateReply(me, chunk.requestId(), ReplicateReply.Status.OK, chunk.position().index(), log.last(), voter.config());
    }

    public VoteReply onVote(VoteRequest request, Instant now) {
        return thenAnswer(now, () -> onVoteLocked(request, now));
    }

    private synchronized VoteReply onVoteLocked(VoteRequest request, Instant now) {
        boolean heardWithinLease = heardPrimary != null && !heardPrimary.equals(request.from())
                && elapsed(lastHeardFromPrimary, now).compareTo(settings.leaseDuration()) < 0;
        Voter.Situation situation = new Voter.Situation(!witness, log.last(), heardWithinLease, role == Role.PRIMARY);
        String refusal = voter.refusal(request, situation);
        if (refusal != null || request.preVote()) {
            return new VoteReply(me, request.requestId(), request.proposal().epoch(), refusal == null,
                    refusal == null ? "would grant" : refusal, voter.config());
        }
        voter.accept(request.proposal());
        event(now, "vote", "node=" + me + " voted for " + request.proposal().primary() + " in epoch " + request.proposal().epoch()
                + (request.unsafe() ? " (unsafe promotion)" : ""));
        if (proposal != null && !request.proposal().primary().equals(me)) {
            // We voted for someone else's newer proposal: drop our own (even a pre-vote), or we
            // would depose the winner we just voted for.
            proposal = null;
            if (role == Role.CANDIDATE) {
                becomeFollower(active, now, "voted for " + request.from() + " in epoch " + request.proposal().epoch());
            }
        }
        if (!request.proposal().primary().equals(active.primary())) {
            lastHeardFromPrimary = now; // give the candidate we voted for a full timeout to win
        }
        return new VoteReply(me, request.requestId(), request.proposal().epoch(), true, "granted", voter.config());
    }

    // ---------------------------------------------------------------- peer replies (to this node's requests)

    public void onReply(PeerReply reply, Instant now) {
        thenAnswer(now, () -> {
            onReplyLocked(reply, now);
            return null;
        });
    }

    private synchronized void onReplyLocked(PeerReply reply, Instant now) {
        if (reply instanceof ReplicateReply r) {
            onReplicateReply(r, now);
        } else if (reply instanceof VoteReply v) {
            onVoteReply(v, now);
        }
    }

    private void onReplicateReply(ReplicateReply reply, Instant now) {
        if (role != Role.PRIMARY) {
            return;
        }
        if (reply.status() == ReplicateReply.Status.STALE_EPOCH) {
            // (A configuration of our own is our pending reconfiguration: the peer still accepts us.)
            observeNewerConfiguration(reply.config(), reply.from(), now, reply.from() + " refuses epoch " + active.epoch()
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
        peer.lastAckSentAt = peer.lastAckSentAt == null || sentAt.isAfter(peer.lastAckSentAt) ? sentAt : peer.lastAckSentAt;
        boolean current = reply.requestId() == peer.inFlightId;
        if (reply.status() == ReplicateReply.Status.STORAGE_FAILED) {
            // The batch stays in flight: resent once it counts as lost, so a sick disk is retried
            // at that pace, not in a loop. Meanwhile the in-sync rule drops the peer.
            if (!peer.storageFailed) {
                event(now, "storage", "node=" + me + " peer " + peer.id + " cannot persist what it is sent");
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
            peer.acked = true;
            peer.matchIndex = Math.max(peer.matchIndex, reply.matched());
            peer.nextIndex = Math.max(peer.nextIndex, reply.matched() + 1);
            if (peer.catchingUp && peer.matchIndex >= log.lastIndex()) {
                peer.catchingUp = false;
                event(now, "catch-up", "node=" + me + " peer " + peer.id + " caught up to index " + peer.matchIndex);
            }
            if (!active.isInSync(peer.id) && !peer.storageFailed && log.lastIndex() - peer.matchIndex <= settings.maxBatchEntries()) {
                // Within one batch of the end: commits now wait for it too, so under a steady
                // stream of writes the commit index cannot keep running ahead of it and it can
                // be found caught up (reviewInSyncSet) and join.
                peer.joining = true;
            }
        } else if (reply.status() == ReplicateReply.Status.MISMATCH && (current || !peer.hasRequestInFlight())) {
            // A probe's mismatch while a batch is out says nothing the batch's answer will not.
            planCatchUp(peer, reply.last(), now);
        }
        advanceCommit(now);
        trySend(peer, now, false);
    }

    /**
     * The catch-up rule: resend from the backup's last position if this log still holds it,
     * otherwise (too far behind, or a divergent tail from an older epoch) send a snapshot.
     */
    private void planCatchUp(PeerProgress peer, LogPosition backupLast, Instant now) {
        peer.snapshot = null;
        peer.firstCurrentRequestId = nextRequestId;
        if (log.contains(backupLast)) {
            peer.matchIndex = backupLast.index();
            peer.nextIndex = backupLast.index() + 1;
            if (!peer.catchingUp && backupLast.index() < log.lastIndex()) {
                event(now, "catch-up", "node=" + me + " peer " + peer.id + " incremental catch-up from index " + backupLast.index()
                        + " to " + log.lastIndex());
            }
        } else {
            startSnapshot(peer, now);
        }
        peer.catchingUp = true;
    }

    private void startSnapshot(PeerProgress peer, Instant now) {
        PeerProgress.OutgoingSnapshot snapshot = PeerProgress.OutgoingSnapshot.of(nextRequestId++, log.last(), store.copy(),
                settings.snapshotChunkEntries(), settings.maxBatchBytes());
        peer.snapshot = snapshot;
        peer.snapshotSequence = 0;
        peer.firstCurrentRequestId = nextRequestId;
        peer.catchingUp = true;
        stats.snapshotsSent.incrementAndGet();
        event(now, "catch-up", "node=" + me + " peer " + peer.id + " sending snapshot of " + snapshot.items().size()
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
        event(now, "catch-up", "node=" + me + " peer " + peer.id + " installed snapshot at " + at);
    }

    private void onVoteReply(VoteReply reply, Instant now) {
        if (proposal == null || !proposal.requestIds.contains(reply.requestId())) {
            return; // a reply to an earlier proposal or to the pre-vote before this one
        }
        if (elapsed(proposal.startedAt, now).compareTo(proposalTimeout()) > 0) {
            // Grants older than the proposal's time limit (we may have been paused) prove nothing now.
            failProposal(now, "no majority within " + proposalTimeout().toMillis() + " ms");
            return;
        }
        if (reply.granted()) {
            proposal.grants.add(reply.from());
            PeerProgress peer = peers.get(reply.from());
            if (peer != null) {
                peer.lastAckSentAt = proposal.startedAt; // a vote renews the lease like a heartbeat ack
            }
            decideProposal(now);
            return;
        }
        proposal.refusals.add(reply.from());
        LOG.log(System.Logger.Level.DEBUG, "node={0} proposal epoch {1} refused by {2}: {3}", me, proposal.config.epoch(),
                reply.from(), reply.reason());
        Configuration theirs = reply.config();
        newestEpochSeen = Math.max(newestEpochSeen, theirs.epoch()); // our next proposal must outbid it
        // A competing proposal that is not known to have won may lose too: enough refusals fail
        // ours and the random back-off breaks the tie.
        if (observeNewerConfiguration(theirs, reply.from(), now, "refused by " + reply.from() + ", which accepted epoch "
                + theirs.epoch() + " with primary " + theirs.primary() + " inSync=" + sorted(theirs.inSync()))) {
            return;
        }
        if (proposal.refusals.size() > settings.voterCount() - settings.majority()) {
            failProposal(now, "refused by " + proposal.refusals + ": " + reply.reason());
        }
    }

    // ---------------------------------------------------------------- roles: the only writers of `role`

    private void becomePrimary(Configuration config, Instant now, String reason) {
        role = Role.PRIMARY;
        active = config;
        proposal = null;
        heardPrimary = me;
        peers.clear();
        for (Member m : settings.members()) {
            if (!m.id().equals(me)) {
                peers.put(m.id(), new PeerProgress(m.id(), m.witness(), log.lastIndex() + 1, now));
            }
        }
        event(now, "role", "node=" + me + " role=PRIMARY epoch=" + config.epoch() + " inSync=" + sorted(config.inSync())
                + " reason=\"" + reason + "\"");
        sendToPeers(now, true);
        advanceCommit(now);
    }

    private void becomeFollower(Configuration config, Instant now, String reason) {
        Role before = role;
        if (before == Role.PRIMARY) {
            failPending("stepped down: " + reason, now);
        }
        active = config;
        proposal = null;
        peers.clear();
        lastHeardFromPrimary = now; // a full failure timeout before campaigning again
        role = followerRole();
        if (before != role) {
            event(now, "role", "node=" + me + " role=" + role + " epoch=" + config.epoch() + " primary="
                    + (config.primary().equals(me) ? "unknown" : config.primary()) + " reason=\"" + reason + "\"");
        }
    }

    private void becomeCandidate(Instant now, String reason) {
        Role before = role;
        role = Role.CANDIDATE;
        if (before != Role.CANDIDATE) {
            event(now, "role", "node=" + me + " role=CANDIDATE epoch=" + proposal.config.epoch() + " reason=\"" + reason + "\"");
        }
    }

    private Role followerRole() {
        return dataIntact && active.isInSync(me) ? Role.BACKUP : Role.STALE;
    }

    private void refreshFollowerRole(Instant now, String reason) {
        if (role == Role.BACKUP || role == Role.STALE) {
            Role next = followerRole();
            if (next != role) {
                role = next;
                event(now, "role", "node=" + me + " role=" + role + " epoch=" + active.epoch() + " primary=" + active.primary()
                        + " reason=\"" + reason + "\"");
            }
        }
    }

    // ---------------------------------------------------------------- fencing

    /**
     * The fencing rule: accept a primary's request only if its epoch is not older than our
     * promise, so a deposed primary cannot get a write acknowledged after a newer configuration
     * was accepted. The one exception is the sender's own pending reconfiguration: we promised
     * the next epoch to that same primary, which stays primary meanwhile.
     */
    private boolean acceptsPrimary(String from, Configuration config) {
        if (role == Role.PRIMARY && config.epoch() <= active.epoch()) {
            // A request of our own epoch or an older one from another node: a deposed primary's
            // late heartbeat after a failover (normal), or a replayed message. It must never touch our log.
            LOG.log(System.Logger.Level.INFO, "node={0} refused {1} claiming epoch {2}: this node is primary of epoch {3}",
                    me, from, config.epoch(), active.epoch());
            return false;
        }
        if (config.epoch() >= voter.promisedEpoch()) {
            return true;
        }
        return from.equals(voter.config().primary()) && from.equals(config.primary()) && config.epoch() >= active.epoch();
    }

    private void followPrimary(String from, Configuration config, Instant now) {
        lastHeardFromPrimary = now;
        if (proposal != null && proposal.preVote) {
            proposal = null; // the primary is alive after all
        }
        heardPrimary = from;
        voter.adopt(config);
        if (witness) {
            active = config.epoch() >= active.epoch() ? config : active;
            return;
        }
        if (role == Role.PRIMARY && config.epoch() <= active.epoch()) {
            throw new IllegalStateException("two primaries in epoch " + config.epoch() + ": " + me + " and " + from);
        }
        if (role == Role.PRIMARY || role == Role.CANDIDATE) {
            becomeFollower(config, now, "heard from primary " + from + " of epoch " + config.epoch());
        } else if (!config.equals(active)) {
            if (config.epoch() != active.epoch()) {
                stats.epochChanges.incrementAndGet();
            }
            active = config;
            refreshFollowerRole(now, "primary " + from + " announced epoch " + config.epoch() + " inSync=" + sorted(config.inSync()));
        }
    }

    /**
     * The step-down rule, in one place: what a node does when a voter's answer shows it a
     * configuration newer than the one it acts on. If that configuration is known to have won
     * (its proposer and the answering voter together are a majority), the node follows it, as it
     * would on hearing from its primary. Otherwise it is only a promise: a primary or candidate
     * stops acting at once and raises its own promise, so it never votes for anything older, but
     * does not adopt the configuration. A lost proposal that leaves this node out of the in-sync
     * set would bar it from ever campaigning; if the proposal did win, its primary's first
     * heartbeat makes this node follow it ({@link #followPrimary}), and until then the voters, who
     * know what they accepted, keep a new campaign safe. Returns whether the node stepped down.
     */
    private boolean observeNewerConfiguration(Configuration theirs, String from, Instant now, String reason) {
        if (theirs.epoch() <= active.epoch() || me.equals(theirs.primary())) {
            return false;
        }
        boolean won = (theirs.primary().equals(from) ? 1 : 2) >= settings.majority();
        if (won) {
            voter.adopt(theirs);
            becomeFollower(theirs, now, reason + " (accepted by " + theirs.primary() + " and " + from + ", a majority)");
            return true;
        }
        if (role != Role.PRIMARY && role != Role.CANDIDATE) {
            return false;
        }
        voter.promise(theirs.epoch());
        Instant heard = lastHeardFromPrimary;
        boolean wasCandidate = role == Role.CANDIDATE;
        becomeFollower(active, now, reason);
        if (wasCandidate) {
            lastHeardFromPrimary = heard; // still silent: retry after the back-off, not a whole timeout later
        }
        backOff(now);
        return true;
    }

    // ---------------------------------------------------------------- proposals: elections and in-sync changes

    private boolean canCampaign() {
        return !witness && dataIntact && storageFailure == null && voter.config().isInSync(me);
    }

    /** A candidate's proposal: the known in-sync set without the silent primary, with itself as primary. */
    private Configuration electionConfig(boolean unsafe) {
        long epoch = nextEpoch();
        Set<String> inSync = new HashSet<>();
        if (!unsafe) {
            inSync.addAll(voter.config().inSync());
            inSync.remove(voter.config().primary());
        }
        inSync.add(me);
        return new Configuration(epoch, me, inSync);
    }

    private void startElection(Instant now, boolean unsafe, String reason) {
        startPreVote(Proposal.Kind.ELECTION, electionConfig(unsafe), now, unsafe, reason);
    }

    /**
     * Every proposal starts with a pre-vote: only a majority of would-be grants raises the epoch.
     * So a node that merely cannot reach the others (an isolated primary, a backup that missed
     * heartbeats) does not bump its promise and later refuse, or depose, the real primary.
     */
    private void startPreVote(Proposal.Kind kind, Configuration config, Instant now, boolean unsafe, String reason) {
        proposal = new Proposal(kind, config, now, unsafe, reason, true);
        proposal.grants.add(me);
        LOG.log(System.Logger.Level.INFO, "event=pre-vote node={0} asks whether voters would accept epoch={1} primary={2} inSync={3}: {4}",
                me, config.epoch(), config.primary(), sorted(config.inSync()), reason);
        sendVoteRequests(config, unsafe, true);
        decideProposal(now);
    }

    private void startProposal(Proposal.Kind kind, Configuration config, Instant now, boolean unsafe, String reason) {
        voter.accept(config); // our own vote, durable first
        proposal = new Proposal(kind, config, now, unsafe, reason, false);
        proposal.grants.add(me);
        if (kind == Proposal.Kind.ELECTION) {
            becomeCandidate(now, reason);
        }
        event(now, "proposal", "node=" + me + " proposes epoch=" + config.epoch() + " primary=" + config.primary() + " inSync="
                + sorted(config.inSync()) + " reason=\"" + reason + "\"");
        sendVoteRequests(config, unsafe, false);
        decideProposal(now);
    }

    private void sendVoteRequests(Configuration config, boolean unsafe, boolean preVote) {
        for (Member m : settings.members()) {
            if (!m.id().equals(me)) {
                long id = nextRequestId++;
                proposal.requestIds.add(id);
                step.send(m.id(), new VoteRequest(me, id, config, log.last(), unsafe, preVote));
            }
        }
    }

    private void decideProposal(Instant now) {
        if (proposal == null || proposal.grants.size() < settings.majority()) {
            return;
        }
        Proposal won = proposal;
        proposal = null;
        if (won.preVote) {
            // The epoch may have moved while the pre-vote ran.
            Configuration real = new Configuration(nextEpoch(), won.config.primary(), won.config.inSync());
            startProposal(won.kind, real, now, won.unsafe, won.reason);
            return;
        }
        stats.epochChanges.incrementAndGet();
        if (won.kind == Proposal.Kind.ELECTION) {
            stats.promotions.incrementAndGet();
            if (won.unsafe) {
                stats.uncleanPromotions.incrementAndGet();
            }
            becomePrimary(won.config, now, "won epoch " + won.config.epoch() + " with votes from " + sorted(won.grants)
                    + " after " + won.reason);
            for (String granter : won.grants) {
                PeerProgress peer = peers.get(granter);
                if (peer != null) {
                    peer.lastAckSentAt = won.startedAt;
                }
            }
        } else if (role == Role.PRIMARY) {
            active = won.config;
            event(now, "epoch", "node=" + me + " role=PRIMARY epoch=" + active.epoch() + " inSync=" + sorted(active.inSync())
                    + " reason=\"" + won.reason + "\"");
            advanceCommit(now);
        }
    }

    /**
     * How long a proposal collects votes: at least as long as a batch may go unanswered before it
     * counts as lost, because a loaded machine answers slowly and an expired proposal costs a
     * whole new round. Safety never depends on it (a won epoch's lease counts from the start).
     */
    private Duration proposalTimeout() {
        Duration half = settings.failureTimeout().dividedBy(2);
        return half.compareTo(resendAfter()) > 0 ? half : resendAfter();
    }

    private void expireProposal(Instant now) {
        if (proposal != null && elapsed(proposal.startedAt, now).compareTo(proposalTimeout()) > 0) {
            failProposal(now, "no majority within " + proposalTimeout().toMillis() + " ms");
        }
    }

    private void failProposal(Instant now, String why) {
        if (proposal.preVote) {
            LOG.log(System.Logger.Level.INFO, "event=pre-vote node={0} would not win epoch {1}: {2}", me, proposal.config.epoch(), why);
        } else {
            event(now, "proposal", "node=" + me + " proposal epoch=" + proposal.config.epoch() + " failed: " + why);
        }
        proposal = null;
        backOff(now);
    }

    /** Randomised back-off so that two candidates do not keep splitting the vote. */
    private void backOff(Instant now) {
        long backoffMillis = settings.heartbeatInterval().toMillis()
                + (long) (random.nextDouble() * settings.failureTimeout().toMillis());
        nextProposalAt = now.plusMillis(backoffMillis);
    }

    /**
     * The primary's in-sync rule: drop a backup silent for replication.timeout, add a caught-up
     * stale one. Either is a proposal; until a majority accepts, commits still wait for the
     * members of both the old and the proposed set.
     */
    private void reviewInSyncSet(Instant now) {
        for (PeerProgress peer : peers.values()) {
            if (peer.joining && (active.isInSync(peer.id) || silent(peer, now) || peer.storageFailed)) {
                peer.joining = false; // joined, or it stopped answering: commits no longer wait for it
            }
        }
        if (proposal != null || now.isBefore(nextProposalAt)) {
            return;
        }
        for (String id : sorted(active.inSync())) {
            PeerProgress peer = peers.get(id);
            if (peer != null && (silent(peer, now) || peer.storageFailed)) {
                Set<String> smaller = new HashSet<>(active.inSync());
                smaller.remove(id);
                startPreVote(Proposal.Kind.RECONFIGURATION, active.withInSync(smaller, nextEpoch()), now, false, peer.storageFailed
                        ? "backup " + id + " cannot persist what it is sent"
                        : "backup " + id + " did not answer within replication.timeout=" + settings.replicationTimeout().toMillis() + " ms");
                return;
            }
        }
        for (PeerProgress peer : peers.values()) {
            // Caught up means holding every committed entry: from the proposal on, commits wait for
            // the joiner too, so once added it can never lack an acknowledged write.
            boolean caughtUp = peer.matchIndex >= commitIndex && peer.snapshot == null;
            boolean responsive = peer.acked && elapsed(peer.lastAckAt, now).compareTo(settings.heartbeatInterval().multipliedBy(3)) < 0;
            if (!peer.witness && !active.isInSync(peer.id) && caughtUp && responsive && !peer.storageFailed) {
                Set<String> larger = new HashSet<>(active.inSync());
                larger.add(peer.id);
                startPreVote(Proposal.Kind.RECONFIGURATION, active.withInSync(larger, nextEpoch()), now, false,
                        "backup " + peer.id + " caught up to index " + peer.matchIndex);
                return;
            }
        }
    }

    private long nextEpoch() {
        return Math.max(Math.max(voter.promisedEpoch(), active.epoch()), newestEpochSeen) + 1;
    }

    // ---------------------------------------------------------------- replication and commit (primary)

    private void sendToPeers(Instant now, boolean heartbeat) {
        for (PeerProgress peer : peers.values()) {
            trySend(peer, now, heartbeat);
        }
    }

    /**
     * One batch in flight per peer; the next carries everything appended meanwhile (group
     * commit). While a batch is out, an empty probe per heartbeat keeps the peer's failure
     * detector and our lease fed; a batch is sent again only when it is probably lost.
     */
    private void trySend(PeerProgress peer, Instant now, boolean heartbeat) {
        boolean heartbeatDue = heartbeat
                && (peer.lastSentAt == null || elapsed(peer.lastSentAt, now).compareTo(settings.heartbeatInterval()) >= 0);
        if (peer.witness) {
            if (heartbeatDue) {
                send(peer, new ReplicateRequest(me, nextRequestId++, active, log.last(), List.of(), commitIndex), now, false);
            }
            return;
        }
        if (peer.hasRequestInFlight()) {
            boolean probablyLost = elapsed(peer.inFlightSentAt, now).compareTo(resendAfter()) >= 0;
            // A silent peer (paused, cut off, dead) gets probes until it answers, not the batch
            // again: every resend to a paused peer waits in its socket queue, and on resuming it
            // would apply them all before anything current (a backup resumed after missing 1M
            // writes spent its first 2 s on stale full batches).
            if (!probablyLost || silent(peer, now)) {
                if (heartbeatDue) {
                    send(peer, probe(peer), now, false);
                }
                return;
            }
            stats.heartbeatsMissed.incrementAndGet(); // lost or very late: send it again (idempotent)
        }
        PeerRequest request;
        if (peer.snapshot != null) {
            PeerProgress.OutgoingSnapshot s = peer.snapshot;
            request = new SnapshotChunk(me, nextRequestId++, active, s.id(), s.position(), peer.snapshotSequence,
                    s.chunk(peer.snapshotSequence), peer.snapshotSequence == s.chunks() - 1, commitIndex);
        } else {
            LogPosition prev = log.positionAt(peer.nextIndex - 1);
            if (prev == null) {
                // The peer needs entries this log no longer holds: only a snapshot can catch it up.
                // Build one (a copy of the store) only for a peer that answers.
                if (!silent(peer, now)) {
                    startSnapshot(peer, now);
                    trySend(peer, now, heartbeat);
                } else if (heartbeatDue) {
                    send(peer, probe(peer), now, false);
                }
                return;
            }
            List<LogEntry> entries = log.slice(peer.nextIndex, settings.maxBatchEntries(), settings.maxBatchBytes());
            if (entries.isEmpty() && !heartbeatDue) {
                return;
            }
            request = new ReplicateRequest(me, nextRequestId++, active, prev, entries, commitIndex);
            if (!entries.isEmpty()) {
                listener.onBatchSent(entries.size());
            }
        }
        send(peer, request, now, true);
    }

    /** An empty request at a position the peer is known to hold (else our last): an answer proves it is alive. */
    private ReplicateRequest probe(PeerProgress peer) {
        LogPosition at = peer.acked ? log.positionAt(peer.matchIndex) : null;
        return new ReplicateRequest(me, nextRequestId++, active, at == null ? log.last() : at, List.of(), commitIndex);
    }

    private void send(PeerProgress peer, PeerRequest request, Instant now, boolean batch) {
        if (batch) {
            peer.inFlightId = request.requestId();
            peer.inFlightSentAt = now;
        }
        if (request instanceof ReplicateRequest r && r.entries().isEmpty()) {
            stats.heartbeatsSent.incrementAndGet();
        }
        peer.lastSentAt = now;
        peer.sent(request.requestId(), now);
        step.send(peer.id, request);
    }

    /** Whether the peer has answered nothing for longer than replication.timeout. */
    private boolean silent(PeerProgress peer, Instant now) {
        return elapsed(peer.lastAckAt, now).compareTo(settings.replicationTimeout()) > 0;
    }

    /** How long a batch may go unanswered before it counts as lost: the peer client gives up by replication.timeout. */
    private Duration resendAfter() {
        Duration half = settings.replicationTimeout().dividedBy(2);
        Duration threeBeats = settings.heartbeatInterval().multipliedBy(3);
        return half.compareTo(threeBeats) > 0 ? half : threeBeats;
    }

    /**
     * The commit rule: an entry is committed once every member of the in-sync set (and of a
     * proposed one, from the moment it is proposed) holds it. Below min-in-sync nothing commits.
     * In async mode an entry counts as committed once the primary has appended it.
     */
    private void advanceCommit(Instant now) {
        if (role != Role.PRIMARY) {
            return;
        }
        long target = Math.min(log.lastIndex(), persistedIndex); // the primary's own copy counts once on disk
        if (settings.mode() == ReplicationMode.SYNC) {
            if (active.inSync().size() < settings.minInSync()) {
                return;
            }
            Set<String> holders = new HashSet<>(active.inSync());
            if (proposal != null) {
                holders.addAll(proposal.config.inSync());
            }
            for (PeerProgress peer : peers.values()) {
                if (peer.joining) {
                    holders.add(peer.id);
                }
            }
            for (String id : holders) {
                PeerProgress peer = peers.get(id);
                if (peer != null) {
                    target = Math.min(target, peer.matchIndex);
                }
            }
        }
        if (target > commitIndex) {
            commitIndex = target;
        }
        completePending(now);
    }

    private boolean leaseValid(Instant now) {
        List<Instant> acks = new ArrayList<>();
        acks.add(now);
        for (PeerProgress peer : peers.values()) {
            if (peer.lastAckSentAt != null) {
                acks.add(peer.lastAckSentAt);
            }
        }
        if (acks.size() < settings.majority()) {
            return false;
        }
        acks.sort((a, b) -> b.compareTo(a));
        Instant majorityAck = acks.get(settings.majority() - 1);
        return elapsed(majorityAck, now).compareTo(settings.leaseDuration()) < 0;
    }

    // ---------------------------------------------------------------- pending client operations

    private CompletableFuture<Outcome> awaitCommit(long index, boolean write, Outcome outcome, Instant now) {
        if (index <= commitIndex) {
            return done(write ? acknowledgeWrite(outcome, now, now) : outcome);
        }
        CompletableFuture<Outcome> future = new CompletableFuture<>();
        pending.computeIfAbsent(index, i -> new ArrayList<>(2))
                .add(new PendingOperation(index, write, outcome, now, now.plus(settings.writeTimeout()), future));
        pendingCount++;
        return future;
    }

    /** Every acknowledged write passes here once: counted, and its commit latency recorded. */
    private Outcome acknowledgeWrite(Outcome outcome, Instant startedAt, Instant now) {
        stats.writesCommitted.incrementAndGet();
        // Callers read the clock before taking the lock, so `now` may precede startedAt.
        Duration latency = Duration.between(startedAt, now);
        listener.onCommitLatency(latency.isNegative() ? Duration.ZERO : latency);
        return outcome;
    }

    /**
     * The storage-failure rule, in one place: a node that could not persist acknowledges nothing
     * of it, stops acting as primary (its pending writes become indeterminate, never acknowledged),
     * sends nothing made since, and reads its disk back so that memory holds only what is
     * persisted. It reports itself unhealthy and does not campaign until a write succeeds again.
     */
    private void storageFailed(StorageException e, Instant now) {
        stats.storageFailures.incrementAndGet();
        if (storageFailure == null) {
            event(now, "storage", "node=" + me + " storage failed: " + e.getMessage()
                    + "; acknowledging nothing until a write succeeds again");
        }
        storageFailure = e.getMessage();
        // Everything made since the failed write came from memory that held what the disk lacks.
        step.dropOutgoing();
        for (Ready queued : readies) {
            queued.failed = true;
        }
        if (role == Role.PRIMARY || role == Role.CANDIDATE) {
            becomeFollower(active, now, "storage failed");
        }
        recover(now);
        persistedIndex = log.lastIndex();
        commitIndex = Math.min(commitIndex, log.lastIndex());
    }

    /** Under the lock, after a write reached the disk: the primary may now count its own copy. */
    private void onWritten(long lastIndex, Instant now) {
        persistedIndex = lastIndex;
        storageWorks(now);
        advanceCommit(now);
    }

    /**
     * A node whose disk failed and that has nothing to write (nobody sends it entries) still
     * finds out when the disk works again: it tries a small write once per failure.timeout.
     */
    private void probeStorage(Instant now) {
        if (storageFailure == null || now.isBefore(nextStorageProbeAt)) {
            return;
        }
        nextStorageProbeAt = now.plus(settings.failureTimeout());
        try {
            durable.probe();
        } catch (StorageException stillFailing) {
            return;
        }
        storageWorks(now);
    }

    private void storageWorks(Instant now) {
        if (storageFailure != null) {
            storageFailure = null;
            event(now, "storage", "node=" + me + " storage works again: writes persisted up to " + log.last());
        }
    }

    private void completePending(Instant now) {
        boolean lease = pending.isEmpty() || leaseValid(now);
        while (!pending.isEmpty() && pending.firstKey() <= commitIndex) {
            for (PendingOperation op : pending.pollFirstEntry().getValue()) {
                pendingCount--;
                if (op.write()) {
                    decide(op, acknowledgeWrite(op.outcome(), op.startedAt(), now));
                } else {
                    decide(op, lease ? op.outcome()
                            : new Outcome.Unavailable("primary lease expired: cannot prove it is still the primary", false));
                }
            }
        }
    }

    private void expirePending(Instant now) {
        Iterator<Map.Entry<Long, List<PendingOperation>>> it = pending.entrySet().iterator();
        while (it.hasNext()) {
            List<PendingOperation> ops = it.next().getValue();
            ops.removeIf(op -> {
                if (now.isBefore(op.deadline())) {
                    return false;
                }
                pendingCount--;
                if (op.write()) {
                    stats.writesUnknown.incrementAndGet();
                }
                decide(op, new Outcome.Unavailable("not replicated to the in-sync set " + sorted(active.inSync())
                        + " within " + settings.writeTimeout().toMillis() + " ms", op.write()));
                return true;
            });
            if (ops.isEmpty()) {
                it.remove();
            }
        }
    }

    private void failPending(String reason, Instant now) {
        for (List<PendingOperation> ops : pending.values()) {
            for (PendingOperation op : ops) {
                if (op.write()) {
                    stats.writesUnknown.incrementAndGet();
                }
                // The entry was replicated to some backups: a new primary may still commit it.
                decide(op, new Outcome.Unavailable(reason, op.write()));
            }
        }
        pending.clear();
        pendingCount = 0;
    }

    // ---------------------------------------------------------------- views and helpers

    public synchronized ReplicaView view(Instant now) {
        List<ReplicaView.PeerView> peerViews = new ArrayList<>();
        for (PeerProgress p : peers.values()) {
            peerViews.add(new ReplicaView.PeerView(p.id, p.witness, active.isInSync(p.id), p.matchIndex,
                    p.witness ? 0 : Math.max(0, log.lastIndex() - p.matchIndex), p.lastAckSentAt == null ? null : p.lastAckAt,
                    p.catchingUp || p.snapshot != null));
        }
        // A witness only acts on votes: what it last accepted is its view of the cluster.
        Configuration shown = witness && voter.config().epoch() > active.epoch() ? voter.config() : active;
        return new ReplicaView(me, role, shown.epoch(), currentPrimary(now), shown.inSync(), voter.promisedEpoch(), log.last(),
                commitIndex, store.size(), role == Role.PRIMARY && leaseValid(now), dataIntact, unavailableReason(now), storageFailure,
                peerViews, List.copyOf(events));
    }

    public ReplicaStats stats() {
        return stats;
    }

    public String nodeId() {
        return me;
    }

    public synchronized Role role() {
        return role;
    }

    public synchronized long epoch() {
        return active.epoch();
    }

    public synchronized LogPosition lastPosition() {
        return log.last();
    }

    private String currentPrimary(Instant now) {
        if (role == Role.PRIMARY) {
            return me;
        }
        return primaryHint(now);
    }

    private String primaryHint(Instant now) {
        if (heardPrimary == null || heardPrimary.equals(me)
                || elapsed(lastHeardFromPrimary, now).compareTo(settings.failureTimeout()) > 0) {
            return null;
        }
        return heardPrimary;
    }

    private String unavailableReason(Instant now) {
        if (role == Role.PRIMARY) {
            return active.inSync().size() < settings.minInSync() ? "in-sync set below replication.min-in-sync" : null;
        }
        if (primaryHint(now) != null) {
            return null;
        }
        if (role == Role.STALE) {
            return "no primary heard from; this node is stale (" + (dataIntact ? "not in the in-sync set" : "restarted without data")
                    + ") and may not campaign; if no in-sync node is left, an operator may force an unclean promotion";
        }
        return "no primary heard from within failure.timeout";
    }

    /** The answer instead of an acknowledgement whose entries did not reach the disk. */
    private ReplicateReply notWritten(ReplicateReply wouldBe) {
        return new ReplicateReply(me, wouldBe.requestId(), ReplicateReply.Status.STORAGE_FAILED, 0, wouldBe.last(), wouldBe.config());
    }

    private ReplicateReply reply(ReplicateRequest request, ReplicateReply.Status status, long matched) {
        return new ReplicateReply(me, request.requestId(), status, matched, log.last(), voter.config());
    }

    private void event(Instant now, String kind, String line) {
        ReplicaEvent event = new ReplicaEvent(now, kind, line);
        LOG.log(System.Logger.Level.INFO, "event=" + kind + " " + line);
        events.addLast(event);
        if (events.size() > MAX_EVENTS) {
            events.removeFirst();
        }
        listener.onEvent(event);
    }

    /** Called under the lock: the outcome is final, its future is completed by {@link #afterStep}. */
    private void decide(PendingOperation op, Outcome outcome) {
        step.decide(op.future(), outcome);
    }

    private <T> T thenAnswer(Instant now, Supplier<T> lockedStep) {
        return thenAnswer(now, lockedStep, null);
    }

    /**
     * Runs one input's step under the lock, then (outside it) writes, sends and answers what it
     * made. The result is returned only once what the step wrote is on disk; if that write
     * failed, {@code ifNotWritten} replaces it (a backup's acknowledgement becomes a refusal).
     */
    private <T> T thenAnswer(Instant now, Supplier<T> lockedStep, UnaryOperator<T> ifNotWritten) {
        T result = null;
        RuntimeException failure = null;
        Ready made;
        synchronized (this) {
            try {
                result = lockedStep.get();
            } catch (RuntimeException e) {
                failure = e;
                step.dropOutgoing(); // a step that failed half-way sends nothing
            }
            made = seal(now);
        }
        if (made != null) {
            afterStep();
        }
        if (failure != null) {
            throw failure;
        }
        return made != null && made.failed && ifNotWritten != null ? ifNotWritten.apply(result) : result;
    }

    /** Under the lock, at the end of a step: queues what it made, in step order. */
    private Ready seal(Instant now) {
        if (step.isEmpty()) {
            return null;
        }
        Ready made = step.build(now);
        readies.add(made);
        return made;
    }

    /**
     * Hands over what the steps so far made, outside the lock, in three stages. First their
     * writes, in step order, under the disk lock: a thread that finds it held waits, then finds
     * its step written by the holder (one append, so one fsync, for every step queued: group
     * commit). Then the requests, so that the next round trip starts at once, then the outcomes
     * to their futures, both on this thread with no hand-off: the transport writes to a socket,
     * and a future's callbacks write the HTTP answers. Under the replica's lock any of the three
     * would hold up every other input meanwhile.
     */
    private void afterStep() {
        List<Ready> handOut = new ArrayList<>();
        diskLock.lock();
        try {
            for (List<Ready> batch = drainReadies(); !batch.isEmpty(); batch = drainReadies()) {
                write(batch);
                handOut.addAll(batch);
            }
        } finally {
            diskLock.unlock();
        }
        for (Ready r : handOut) {
            if (!r.failed) {
                for (Ready.Outgoing o : r.outgoing) {
                    transport.send(o.to(), o.request());
                }
            }
        }
        for (Ready r : handOut) {
            for (Ready.Decided d : r.decided) {
                d.future().complete(d.outcome());
            }
        }
    }

    private List<Ready> drainReadies() {
        List<Ready> batch = new ArrayList<>();
        Ready r;
        while ((r = readies.poll()) != null) {
            batch.add(r);
        }
        return batch;
    }

    /** Under the disk lock: the batch's writes in order, consecutive appends in one call. */
    private void write(List<Ready> batch) {
        List<LogEntry> run = new ArrayList<>();
        long written = -1;
        StorageException failure = null;
        try {
            for (Ready r : batch) {
                for (Ready.Write w : r.failed ? List.<Ready.Write>of() : r.writes) {
                    if (w instanceof Ready.Append a) {
                        run.addAll(a.entries());
                    } else if (w instanceof Ready.Reset reset) {
                        written = flush(run, written);
                        durable.reset(reset.position(), reset.items());
                        written = reset.position().index();
                    }
                }
            }
            written = flush(run, written);
        } catch (StorageException e) {
            failure = e;
        }
        if (written < 0 && failure == null) {
            return; // nothing to write: heartbeats, replies, votes
        }
        Instant now = batch.get(batch.size() - 1).now;
        synchronized (this) {
            if (failure != null) {
                batch.forEach(r -> r.failed = true);
                storageFailed(failure, now);
            } else {
                onWritten(written, now);
            }
            seal(now); // the acknowledgements or step-down this made: drained next, in order
        }
    }

    private long flush(List<LogEntry> run, long written) {
        if (run.isEmpty()) {
            return written;
        }
        durable.append(run);
        long last = run.get(run.size() - 1).index();
        run.clear();
        return last;
    }

    private static CompletableFuture<Outcome> done(Outcome outcome) {
        return CompletableFuture.completedFuture(outcome);
    }

    private static Duration elapsed(Instant since, Instant now) {
        return since == null ? Duration.ofDays(365) : Duration.between(since, now);
    }

    private static List<String> sorted(Set<String> ids) {
        return ids.stream().sorted().toList();
    }
}
