package pbkv.core;

import static pbkv.core.ReplicaContext.sorted;

import java.time.Instant;

/**
 * How a node treats other nodes' claims to be primary: fencing a primary's request (refuse an
 * epoch older than the promise), following the primary it accepted, and stepping down when a
 * voter's answer shows a newer configuration. It decides; the role transitions themselves are the
 * replica's {@code become*} methods.
 */
final class Fencing {

    private static final System.Logger LOG = System.getLogger("pbkv.replica");

    private final ReplicaContext ctx;
    private final Replica replica;
    private final Lease lease;
    private final Election election;

    Fencing(ReplicaContext ctx, Replica replica, Lease lease, Election election) {
        this.ctx = ctx;
        this.replica = replica;
        this.lease = lease;
        this.election = election;
    }

    /** Fencing, then following the sender: null if its request is accepted, else the refusal. */
    ReplicateReply admit(String from, Configuration config, long requestId, Instant now) {
        if (!acceptsPrimary(from, config)) {
            ctx.stats.staleEpochRejections.incrementAndGet();
            return ctx.reply(requestId, ReplicateReply.Status.STALE_EPOCH, 0);
        }
        followPrimary(from, config, now);
        return null;
    }

    /** Whether a primary's request passes fencing ({@link Voter#acceptsPrimary}). */
    private boolean acceptsPrimary(String from, Configuration config) {
        Configuration active = replica.active();
        if (replica.role() == Role.PRIMARY && config.epoch() <= active.epoch()) {
            // A request of our own epoch or an older one from another node: a deposed primary's
            // late heartbeat after a failover (normal), or a replayed message. It must never touch our log.
            LOG.log(System.Logger.Level.INFO, "node={0} refused {1} claiming epoch {2}: this node is primary of epoch {3}",
                    ctx.me, from, config.epoch(), active.epoch());
            return false;
        }
        return ctx.voter.acceptsPrimary(from, config, active.epoch());
    }

    /** A request fencing accepted: its sender is the primary, and its configuration the one to act on. */
    private void followPrimary(String from, Configuration config, Instant now) {
        lease.heardFrom(from, now);
        election.abandonPreVote(); // the primary is alive after all
        ctx.voter.adopt(config);
        Role role = replica.role();
        Configuration active = replica.active();
        if (ctx.witness) {
            if (config.epoch() >= active.epoch()) {
                replica.becomeWitness(config, now);
            }
            return;
        }
        if (role == Role.PRIMARY && config.epoch() <= active.epoch()) {
            throw new IllegalStateException("two primaries in epoch " + config.epoch() + ": " + ctx.me + " and " + from);
        }
        if (role == Role.PRIMARY || role == Role.CANDIDATE) {
            replica.becomeFollower(config, now, "heard from primary " + from + " of epoch " + config.epoch());
        } else if (!config.equals(active)) {
            if (config.epoch() != active.epoch()) {
                ctx.stats.epochChanges.incrementAndGet();
            }
            replica.becomeFollower(config, now, "primary '" + from + "' announced epoch " + config.epoch() + " inSync="
                    + sorted(config.inSync()));
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
    boolean observeNewerConfiguration(Configuration theirs, String from, Instant now, String reason) {
        Configuration active = replica.active();
        Role role = replica.role();
        if (theirs.epoch() <= active.epoch() || ctx.me.equals(theirs.primary())) {
            return false;
        }
        boolean won = (theirs.primary().equals(from) ? 1 : 2) >= ctx.settings.majority();
        if (won) {
            ctx.voter.adopt(theirs);
            replica.becomeFollower(theirs, now, reason + " (accepted by " + theirs.primary() + " and " + from + ", a majority)");
            return true;
        }
        if (role != Role.PRIMARY && role != Role.CANDIDATE) {
            return false;
        }
        ctx.voter.promise(theirs.epoch());
        Instant silentSince = lease.heardAt();
        replica.becomeFollower(active, now, reason);
        if (role == Role.CANDIDATE) {
            lease.restartTimeout(silentSince); // still silent: retry after the back-off, not a whole timeout later
        }
        election.backOff(now);
        return true;
    }
}
