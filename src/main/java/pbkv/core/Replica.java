package pbkv.core;

import static pbkv.core.ReplicaContext.sorted;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * The replication protocol of one node, as a state machine: every input is a method call with
 * the current time passed in (a client operation, a peer request, a peer reply, a clock tick).
 * Every step runs under one lock: the protocol state is small and each step is microseconds, so
 * one lock keeps it obviously consistent. A step only describes what it writes to disk, sends and
 * decides (a {@link Ready}); those are done after it lets go of the lock ({@link ReadyQueue}).
 *
 * <p>This class dispatches the inputs and holds the role transitions ({@code become*}), the only
 * writers of {@code role} and of the active configuration. Every other concern is a part that
 * owns its state: {@link Election} (proposals, votes counted and given), {@link Fencing} (fencing,
 * following the primary, step-down), {@link Replication} (a primary's per-peer sending, catch-up
 * and in-sync changes), {@link Backup} (entries and snapshots received), {@link ClientOperations}
 * and {@link Commit} (client operations, the commit rule), {@link Lease} and {@link LocalDisk}.
 * The vote rule is {@link Voter#refusal}; a failed disk is {@link #storageFailed}.
 */
public final class Replica {

    private final ReplicaContext ctx;
    private final Lease lease;
    private final Commit commit;
    private final ClientOperations clients;
    private final Election election;
    private final Replication replication;
    private final Fencing fencing;
    private final Backup backup;
    private final LocalDisk disk;
    private final ReadyQueue readies;
    private final Divergence divergence;

    private Role role;
    /** The configuration this node acts on: a primary's won configuration, a follower's primary's. */
    private Configuration active;
    /** False after a restart without data until caught up: such a node never campaigns. */
    private boolean dataIntact;

    public Replica(ReplicaSettings settings, Transport transport, VoterStore voterStore, Random random,
                   ReplicaListener listener, Instant now) {
        this(settings, transport, voterStore, DurableLog.NONE, random, listener, now);
    }

    public Replica(ReplicaSettings settings, Transport transport, VoterStore voterStore, DurableLog durable, Random random,
                   ReplicaListener listener, Instant now) {
        Configuration genesis = Configuration.genesis(settings.initialPrimary());
        Voter voter = new Voter(voterStore, genesis);
        this.ctx = new ReplicaContext(settings, voter, listener);
        this.lease = new Lease(ctx, now);
        Divergence divergence = new Divergence(ctx);
        this.divergence = divergence;
        this.commit = new Commit(ctx, lease, divergence);
        this.clients = new ClientOperations(ctx, commit, lease);
        this.election = new Election(ctx, this, lease, random, now);
        this.replication = new Replication(ctx, this, lease, commit, election);
        this.fencing = new Fencing(ctx, this, lease, election);
        this.backup = new Backup(ctx, commit, divergence);
        this.disk = new LocalDisk(ctx, durable);
        this.readies = new ReadyQueue(this, ctx.step, durable, transport, this::written, this::storageFailed);
        String me = ctx.me;
        if (ctx.witness) {
            voter.persistIfNew();
            becomeWitness(voter.config(), now);
            return;
        }
        boolean hadData = disk.start(voter, now);
        boolean newNode = !voter.restarted() && !hadData;
        dataIntact = hadData || newNode && me.equals(settings.initialPrimary());
        if (newNode && me.equals(settings.initialPrimary())) {
            becomePrimary(genesis, now, "initial primary of a new cluster");
        } else if (hadData) {
            if (me.equals(voter.config().primary())) {
                divergence.restartedAfterLeading(voter.config().epoch());
            }
            becomeFollower(voter.config(), now, "restarted with its data up to " + ctx.log.last());
        } else {
            becomeFollower(voter.config(), now, newNode ? "started" : "restarted without data: stale until caught up");
        }
        readies.seal(now);
        readies.perform();
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
        return readies.run(now, () -> {
            List<CompletableFuture<Outcome>> results = new ArrayList<>(writes.size());
            long lastBefore = ctx.log.lastIndex();
            for (ClientWrite w : writes) {
                results.add(role == Role.PRIMARY ? clients.write(w, active, now) : notPrimary(now));
            }
            if (ctx.log.lastIndex() > lastBefore) {
                // Sent once written to this node's disk; committed from the replies, and in async
                // mode once on this disk, before any backup has them (the documented price).
                replication.sendToAll(now, false);
            }
            return results;
        }, null);
    }

    /** A linearizable read: only the primary, under its lease, once what it read is committed. */
    public CompletableFuture<Outcome> read(String key, Instant now) {
        return readies.run(now, () -> role == Role.PRIMARY ? clients.read(key, now) : notPrimary(now), null);
    }

    /** This node's own copy (any role): the explicit non-linearizable read. */
    public Versioned readLocal(String key) {
        return ctx.store.get(key);
    }

    public KeyValueStore store() {
        return ctx.store;
    }

    // ---------------------------------------------------------------- time

    /** Called often (every few ms) by the heartbeat bean: timeouts, heartbeats, campaigns. */
    public void tick(Instant now) {
        readies.run(now, () -> {
            commit.expire(active.inSync(), now);
            disk.probe(now);
            switch (role) {
                case PRIMARY -> {
                    replication.sendToAll(now, true);
                    election.expire(now);
                    replication.reviewInSyncSet(now);
                }
                case BACKUP, CANDIDATE -> election.tick(role, mayCampaign(), now);
                case STALE, WITNESS -> {
                    // Stale nodes wait to be caught up by a primary; witnesses only answer.
                }
            }
            return null;
        }, null);
    }

    /** Operator's unclean promotion: this node becomes primary even if stale. May lose writes. */
    public String forcePromote(Instant now) {
        return readies.run(now, () -> {
            if (ctx.witness) {
                return "a witness holds no data and cannot be promoted";
            }
            if (role == Role.PRIMARY) {
                return "already primary";
            }
            dataIntact = true;
            ctx.event(now, "unsafe", "node=" + ctx.me + " operator forced an unclean promotion: acknowledged writes may be lost");
            return election.campaign(now, true, "operator forced unclean promotion");
        }, null);
    }

    /** Only an in-sync data node with intact data and a working disk may stand for primary. */
    private boolean mayCampaign() {
        return !ctx.witness && dataIntact && disk.failure() == null && ctx.voter.config().isInSync(ctx.me);
    }

    // ---------------------------------------------------------------- peer requests (this node answers)

    public ReplicateReply onReplicate(ReplicateRequest request, Instant now) {
        return readies.run(now, () -> {
            ReplicateReply refused = fencing.admit(request.from(), request.config(), request.requestId(), now);
            if (refused != null) {
                return refused;
            }
            if (ctx.witness) {
                return ctx.reply(request.requestId(), ReplicateReply.Status.OK, 0);
            }
            Backup.Received received = backup.append(request);
            if (!dataIntact && received.holdsCommitted()) {
                ctx.event(now, "catch-up", "node=" + ctx.me + " caught up to committed index " + request.commitIndex() + " from "
                        + request.from());
                caughtUp(now, "caught up");
            }
            return received.reply();
        }, this::notWritten);
    }

    public ReplicateReply onSnapshot(SnapshotChunk chunk, Instant now) {
        return readies.run(now, () -> {
            ReplicateReply refused = fencing.admit(chunk.from(), chunk.config(), chunk.requestId(), now);
            if (refused != null) {
                return refused;
            }
            Backup.Received received = backup.receive(chunk, now);
            if (!dataIntact && received.holdsCommitted()) {
                caughtUp(now, "installed snapshot");
            }
            return received.reply();
        }, this::notWritten);
    }

    public VoteReply onVote(VoteRequest request, Instant now) {
        return readies.run(now, () -> election.answer(request, role, now), null);
    }

    // ---------------------------------------------------------------- peer replies (to this node's requests)

    public void onReply(PeerReply reply, Instant now) {
        readies.run(now, () -> {
            if (reply instanceof ReplicateReply r && role == Role.PRIMARY) {
                replication.onReply(r, now);
            } else if (reply instanceof VoteReply v) {
                election.onVoteReply(v, now);
            }
            return null;
        }, null);
    }

    // ---------------------------------------------------------------- role transitions: the only writers of role and active

    void becomePrimary(Configuration config, Instant now, String reason) {
        role = Role.PRIMARY;
        active = config;
        election.abandon();
        lease.startAsPrimary();
        replication.startAsPrimary(now);
        ctx.event(now, "role", "node=" + ctx.me + " role=PRIMARY epoch=" + config.epoch() + " inSync=" + sorted(config.inSync())
                + " reason=\"" + reason + "\"");
        replication.sendToAll(now, true);
        advanceCommit(now);
    }

    /** A primary whose in-sync change won stays primary, of the new epoch, keeping its peers' progress. */
    void becomePrimaryOfNewInSyncSet(Configuration config, Instant now, String reason) {
        active = config;
        ctx.event(now, "epoch", "node=" + ctx.me + " role=PRIMARY epoch=" + active.epoch() + " inSync=" + sorted(active.inSync())
                + " reason=\"" + reason + "\"");
        advanceCommit(now);
    }

    void becomeCandidate(long epoch, Instant now, String reason) {
        Role before = role;
        role = Role.CANDIDATE;
        if (before != Role.CANDIDATE) {
            ctx.event(now, "role", "node=" + ctx.me + " role=CANDIDATE epoch=" + epoch + " reason=\"" + reason + "\"");
        }
    }

    /**
     * A data node follows {@code config}: a BACKUP if its data is intact and the configuration
     * counts it in sync, else STALE (it never campaigns until caught up). A primary stepping down
     * answers its waiting operations as unknown, and every follower waits a whole failure
     * timeout before campaigning.
     */
    void becomeFollower(Configuration config, Instant now, String reason) {
        Role before = role;
        if (before == Role.PRIMARY) {
            commit.failAll("stepped down: " + reason);
        }
        active = config;
        election.abandon();
        replication.stop();
        lease.stopAsPrimary();
        lease.restartTimeout(now);
        role = dataIntact && active.isInSync(ctx.me) ? Role.BACKUP : Role.STALE;
        if (before != role) {
            ctx.event(now, "role", "node=" + ctx.me + " role=" + role + " epoch=" + config.epoch() + " primary="
                    + (config.primary().equals(ctx.me) ? "unknown" : config.primary()) + " reason=\"" + reason + "\"");
        }
    }

    /** A witness only votes and answers heartbeats; it acts on the newest configuration it hears of. */
    void becomeWitness(Configuration config, Instant now) {
        Role before = role;
        role = Role.WITNESS;
        active = config;
        if (before != Role.WITNESS) {
            ctx.event(now, "role", "node=" + ctx.me + " role=WITNESS epoch=" + config.epoch() + " reason=\"started\"");
        }
    }

    /** A follower now holds every committed entry: its data is intact, and it may be a backup again. */
    private void caughtUp(Instant now, String reason) {
        dataIntact = true;
        if (role == Role.BACKUP || role == Role.STALE) {
            becomeFollower(active, now, reason);
        }
    }

    /** The step-down rule ({@link Fencing#observeNewerConfiguration}), for the parts that hear voters' answers. */
    boolean observeNewerConfiguration(Configuration theirs, String from, Instant now, String reason) {
        return fencing.observeNewerConfiguration(theirs, from, now, reason);
    }

    // ---------------------------------------------------------------- commit and storage

    void advanceCommit(Instant now) {
        if (role == Role.PRIMARY) {
            commit.advanceAsPrimary(active, election.proposed(), replication, disk.persistedIndex(), now);
        }
    }

    /** Under the lock, once a write reached the disk: the primary may now count its own copy. */
    private void written(long lastIndex, Instant now) {
        disk.written(lastIndex, now);
        advanceCommit(now);
    }

    /**
     * The storage-failure rule, in one place: a node that could not persist acknowledges nothing
     * of it, stops acting as primary (its pending writes become indeterminate, never acknowledged),
     * sends nothing made since, and reads its disk back so that memory holds only what is
     * persisted. It reports itself unhealthy and does not campaign until a write succeeds again.
     */
    private void storageFailed(StorageException e, Instant now) {
        disk.failed(e, now);
        // Everything made since the failed write came from memory that held what the disk lacks.
        ctx.step.dropOutgoing();
        readies.failQueued();
        if (role == Role.PRIMARY || role == Role.CANDIDATE) {
            becomeFollower(active, now, "storage failed");
        }
        disk.recover(now);
        commit.truncateTo(ctx.log.lastIndex());
    }

    // ---------------------------------------------------------------- views

    public synchronized ReplicaView view(Instant now) {
        // A witness only acts on votes: what it last accepted is its view of the cluster.
        Configuration shown = ctx.witness && ctx.voter.config().epoch() > active.epoch() ? ctx.voter.config() : active;
        return new ReplicaView(ctx.me, role, shown.epoch(), knownPrimary(now), shown.inSync(), ctx.voter.promisedEpoch(),
                ctx.log.last(), commit.index(), ctx.store.size(), role == Role.PRIMARY && lease.holds(now), dataIntact,
                unavailableReason(now), disk.failure(), replication.views(active), ctx.events.recent());
    }

    /** The entries this node dropped because its new primary never had them ({@link Divergence}). */
    public synchronized DivergenceReport divergence() {
        return divergence.report();
    }

    public ReplicaStats stats() {
        return ctx.stats;
    }

    public String nodeId() {
        return ctx.me;
    }

    public synchronized Role role() {
        return role;
    }

    public synchronized long epoch() {
        return active.epoch();
    }

    public synchronized LogPosition lastPosition() {
        return ctx.log.last();
    }

    /** Under the lock: the configuration this node acts on. */
    Configuration active() {
        return active;
    }

    /** The primary as this node knows it: itself, or the one it heard from within failure.timeout; null if none. */
    private String knownPrimary(Instant now) {
        return role == Role.PRIMARY ? ctx.me : lease.knownPrimary(now);
    }

    private String unavailableReason(Instant now) {
        if (role == Role.PRIMARY) {
            return active.inSync().size() < ctx.settings.minInSync() ? "in-sync set below replication.min-in-sync" : null;
        }
        if (knownPrimary(now) != null) {
            return null;
        }
        if (role == Role.STALE) {
            return "no primary heard from; this node is stale (" + (dataIntact ? "not in the in-sync set" : "restarted without data")
                    + ") and may not campaign; if no in-sync node is left, an operator may force an unclean promotion";
        }
        return "no primary heard from within failure.timeout";
    }

    // ---------------------------------------------------------------- steps

    /** The answer instead of an acknowledgement whose entries did not reach the disk. */
    private ReplicateReply notWritten(ReplicateReply wouldBe) {
        return new ReplicateReply(ctx.me, wouldBe.requestId(), ReplicateReply.Status.STORAGE_FAILED, 0, wouldBe.last(), wouldBe.config());
    }

    private CompletableFuture<Outcome> notPrimary(Instant now) {
        return CompletableFuture.completedFuture(new Outcome.NotPrimary(knownPrimary(now)));
    }
}
