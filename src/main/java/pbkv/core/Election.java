package pbkv.core;

import static pbkv.core.ReplicaContext.elapsed;
import static pbkv.core.ReplicaContext.sorted;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;

/**
 * This node's proposals and the votes counted for them: a campaign for primary, or a primary's
 * change of the in-sync set. Every proposal starts with a pre-vote, and a majority of grants wins
 * it; the vote rule itself (what a voter grants) is {@link Voter#refusal}. Holds no role: a won or
 * lost proposal is handed to the replica's role transitions.
 */
final class Election {

    private static final System.Logger LOG = System.getLogger("pbkv.replica");

    private final ReplicaContext ctx;
    private final Replica replica;
    private final Lease lease;
    private final Random random;
    private Proposal proposal;
    private Instant nextProposalAt;
    /** The newest epoch a refusal told us of: not a promise of ours, but our next proposal must go beyond it. */
    private long newestEpochSeen;
    private boolean lastEpochReported;

    Election(ReplicaContext ctx, Replica replica, Lease lease, Random random, Instant now) {
        this.ctx = ctx;
        this.replica = replica;
        this.lease = lease;
        this.random = random;
        this.nextProposalAt = now;
    }

    /**
     * The promotion trigger: a backup whose primary is silent for failure.timeout campaigns, a
     * candidate whose proposal failed campaigns again after its back-off. {@code mayCampaign}:
     * only an in-sync data node with intact data and a working disk may stand.
     */
    void tick(Role role, boolean mayCampaign, Instant now) {
        expire(now);
        if (proposal != null || !mayCampaign || now.isBefore(nextProposalAt)) {
            return;
        }
        if (role == Role.CANDIDATE) {
            campaign(now, false, "retrying after back-off");
        } else if (role == Role.BACKUP && lease.silence(now).compareTo(ctx.settings.failureTimeout()) > 0) {
            ctx.stats.heartbeatsMissed.incrementAndGet();
            // A restarted former primary finds itself named: nobody has been heard from since.
            Configuration active = replica.active();
            String silent = active.primary().equals(ctx.me) ? "restarted; no primary heard from" : "primary '" + active.primary() + "' silent";
            campaign(now, false, silent + " for " + lease.silence(now).toMillis() + " ms");
        }
    }

    /**
     * Campaigns with the known in-sync set without the silent primary and with this node as
     * primary (an unsafe campaign: this node alone). Returns why it did not start, or null.
     */
    String campaign(Instant now, boolean unsafe, String reason) {
        OptionalLong epoch = nextEpoch(now);
        if (epoch.isEmpty()) {
            return "no epoch after " + Long.MAX_VALUE + " to campaign in";
        }
        Set<String> inSync = new HashSet<>();
        if (!unsafe) {
            inSync.addAll(ctx.voter.config().inSync());
            inSync.remove(ctx.voter.config().primary());
        }
        inSync.add(ctx.me);
        startPreVote(Proposal.Kind.ELECTION, new Configuration(epoch.getAsLong(), ctx.me, inSync), now, unsafe, reason);
        return null;
    }

    /** Whether a primary may propose an in-sync change now: one proposal at a time, after any back-off. */
    boolean mayPropose(Instant now) {
        return proposal == null && !now.isBefore(nextProposalAt);
    }

    /** A primary proposes a new in-sync set. */
    void proposeInSync(Set<String> inSync, String reason, Instant now) {
        OptionalLong epoch = nextEpoch(now);
        if (epoch.isPresent()) {
            startPreVote(Proposal.Kind.RECONFIGURATION, replica.active().withInSync(inSync, epoch.getAsLong()), now, false, reason);
        }
    }

    /** The in-sync set being proposed, whose members commits wait for too; null if none. */
    Configuration proposed() {
        return proposal == null ? null : proposal.config;
    }

    /** Drops the proposal: this node took a role, or voted for someone else's proposal. */
    void abandon() {
        proposal = null;
    }

    /** The primary is alive after all: a pre-vote against it stops. */
    void abandonPreVote() {
        if (proposal != null && proposal.preVote) {
            proposal = null;
        }
    }

    /**
     * Another node's proposal: granted or refused by the vote rule ({@link Voter#refusal}), a
     * pre-vote only says what the answer would be. A grant is durable before it is answered.
     */
    VoteReply answer(VoteRequest request, Role role, Instant now) {
        Voter.Situation situation = new Voter.Situation(!ctx.witness, ctx.log.last(), lease.promisesPrimary(request.from(), now),
                role == Role.PRIMARY);
        String refusal = ctx.voter.refusal(request, situation);
        Configuration proposed = request.proposal();
        if (refusal != null || request.preVote()) {
            return new VoteReply(ctx.me, request.requestId(), proposed.epoch(), refusal == null,
                    refusal == null ? "would grant" : refusal, ctx.voter.config());
        }
        ctx.voter.accept(proposed);
        ctx.event(now, "vote", "node=" + ctx.me + " voted for " + proposed.primary() + " in epoch " + proposed.epoch()
                + (request.unsafe() ? " (unsafe promotion)" : ""));
        if (proposal != null && !proposed.primary().equals(ctx.me)) {
            // We voted for someone else's newer proposal: drop our own (even a pre-vote), or we
            // would depose the winner we just voted for.
            proposal = null;
            if (role == Role.CANDIDATE) {
                replica.becomeFollower(replica.active(), now, "voted for " + request.from() + " in epoch " + proposed.epoch());
            }
        }
        if (!proposed.primary().equals(replica.active().primary())) {
            lease.restartTimeout(now); // give the candidate we voted for a full timeout to win
        }
        return new VoteReply(ctx.me, request.requestId(), proposed.epoch(), true, "granted", ctx.voter.config());
    }

    /**
     * Every proposal starts with a pre-vote: only a majority of would-be grants raises the epoch.
     * So a node that merely cannot reach the others (an isolated primary, a backup that missed
     * heartbeats) does not bump its promise and later refuse, or depose, the real primary.
     */
    private void startPreVote(Proposal.Kind kind, Configuration config, Instant now, boolean unsafe, String reason) {
        proposal = new Proposal(kind, config, now, unsafe, reason, true);
        proposal.grants.add(ctx.me);
        LOG.log(System.Logger.Level.INFO, "event=pre-vote node={0} asks whether voters would accept epoch={1} primary={2} inSync={3}: {4}",
                ctx.me, config.epoch(), config.primary(), sorted(config.inSync()), reason);
        sendVoteRequests(config, unsafe, true);
        decide(now);
    }

    private void startProposal(Proposal.Kind kind, Configuration config, Instant now, boolean unsafe, String reason) {
        ctx.voter.accept(config); // our own vote, durable first
        proposal = new Proposal(kind, config, now, unsafe, reason, false);
        proposal.grants.add(ctx.me);
        if (kind == Proposal.Kind.ELECTION) {
            replica.becomeCandidate(config.epoch(), now, reason);
        }
        ctx.event(now, "proposal", "node=" + ctx.me + " proposes epoch=" + config.epoch() + " primary=" + config.primary() + " inSync="
                + sorted(config.inSync()) + " reason=\"" + reason + "\"");
        sendVoteRequests(config, unsafe, false);
        decide(now);
    }

    private void sendVoteRequests(Configuration config, boolean unsafe, boolean preVote) {
        for (Member m : ctx.settings.members()) {
            if (!m.id().equals(ctx.me)) {
                long id = ctx.newRequestId();
                proposal.requestIds.add(id);
                ctx.step.send(m.id(), new VoteRequest(ctx.me, id, config, ctx.log.last(), unsafe, preVote));
            }
        }
    }

    void onVoteReply(VoteReply reply, Instant now) {
        if (proposal == null || !proposal.requestIds.contains(reply.requestId())) {
            return; // a reply to an earlier proposal or to the pre-vote before this one
        }
        if (elapsed(proposal.startedAt, now).compareTo(proposalTimeout()) > 0) {
            // Grants older than the proposal's time limit (we may have been paused) prove nothing now.
            fail(now, "no majority within " + proposalTimeout().toMillis() + " ms");
            return;
        }
        if (reply.granted()) {
            proposal.grants.add(reply.from());
            if (replica.role() == Role.PRIMARY) {
                lease.renew(reply.from(), proposal.startedAt); // a vote renews the lease like a heartbeat ack
            }
            decide(now);
            return;
        }
        proposal.refusals.add(reply.from());
        LOG.log(System.Logger.Level.DEBUG, "node={0} proposal epoch {1} refused by {2}: {3}", ctx.me, proposal.config.epoch(),
                reply.from(), reply.reason());
        Configuration theirs = reply.config();
        newestEpochSeen = Math.max(newestEpochSeen, theirs.epoch()); // our next proposal must outbid it
        // A competing proposal that is not known to have won may lose too: enough refusals fail
        // ours and the random back-off breaks the tie.
        if (replica.observeNewerConfiguration(theirs, reply.from(), now, "refused by " + reply.from() + ", which accepted epoch "
                + theirs.epoch() + " with primary " + theirs.primary() + " inSync=" + sorted(theirs.inSync()))) {
            return;
        }
        if (proposal.refusals.size() > ctx.settings.voterCount() - ctx.settings.majority()) {
            fail(now, "refused by " + proposal.refusals + ": " + reply.reason());
        }
    }

    private void decide(Instant now) {
        if (proposal == null || proposal.grants.size() < ctx.settings.majority()) {
            return;
        }
        Proposal won = proposal;
        proposal = null;
        if (won.preVote) {
            // The epoch may have moved while the pre-vote ran.
            OptionalLong epoch = nextEpoch(now);
            if (epoch.isEmpty()) {
                backOff(now);
                return;
            }
            Configuration real = new Configuration(epoch.getAsLong(), won.config.primary(), won.config.inSync());
            startProposal(won.kind, real, now, won.unsafe, won.reason);
            return;
        }
        ctx.stats.epochChanges.incrementAndGet();
        if (won.kind == Proposal.Kind.ELECTION) {
            ctx.stats.promotions.incrementAndGet();
            if (won.unsafe) {
                ctx.stats.uncleanPromotions.incrementAndGet();
            }
            replica.becomePrimary(won.config, now, "won epoch " + won.config.epoch() + " with votes from " + sorted(won.grants)
                    + " after " + won.reason);
            for (String granter : won.grants) {
                if (!granter.equals(ctx.me)) {
                    lease.renew(granter, won.startedAt); // each grant acknowledged the vote request sent at the start
                }
            }
        } else if (replica.role() == Role.PRIMARY) {
            replica.becomePrimaryOfNewInSyncSet(won.config, now, won.reason);
        }
    }

    /**
     * How long a proposal collects votes: at least as long as a batch may go unanswered before it
     * counts as lost, because a loaded machine answers slowly and an expired proposal costs a
     * whole new round. Safety never depends on it (a won epoch's lease counts from the start).
     */
    private Duration proposalTimeout() {
        Duration half = ctx.settings.failureTimeout().dividedBy(2);
        Duration resendAfter = Replication.resendAfter(ctx.settings);
        return half.compareTo(resendAfter) > 0 ? half : resendAfter;
    }

    void expire(Instant now) {
        if (proposal != null && elapsed(proposal.startedAt, now).compareTo(proposalTimeout()) > 0) {
            fail(now, "no majority within " + proposalTimeout().toMillis() + " ms");
        }
    }

    private void fail(Instant now, String why) {
        if (proposal.preVote) {
            LOG.log(System.Logger.Level.INFO, "event=pre-vote node={0} would not win epoch {1}: {2}", ctx.me, proposal.config.epoch(), why);
        } else {
            ctx.event(now, "proposal", "node=" + ctx.me + " proposal epoch=" + proposal.config.epoch() + " failed: " + why);
        }
        proposal = null;
        backOff(now);
    }

    /** Randomised back-off so that two candidates do not keep splitting the vote. */
    void backOff(Instant now) {
        long backoffMillis = ctx.settings.heartbeatInterval().toMillis()
                + (long) (random.nextDouble() * ctx.settings.failureTimeout().toMillis());
        nextProposalAt = now.plusMillis(backoffMillis);
    }

    /**
     * The epoch of this node's next proposal: beyond anything it promised, acts on or was told of.
     * Empty once the largest epoch is taken: then nothing is proposed, and the node says so once.
     */
    private OptionalLong nextEpoch(Instant now) {
        long newest = Math.max(Math.max(ctx.voter.promisedEpoch(), replica.active().epoch()), newestEpochSeen);
        OptionalLong next = Epoch.after(newest, ctx.settings.epochSlot(), ctx.settings.epochSlots());
        if (next.isEmpty() && !lastEpochReported) {
            lastEpochReported = true;
            ctx.event(now, "proposal", "node=" + ctx.me + " proposes nothing: epoch " + newest + " is the last there is");
        }
        return next;
    }
}
