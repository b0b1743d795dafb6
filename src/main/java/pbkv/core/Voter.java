package pbkv.core;

import java.util.Optional;

/**
 * The promotion rule, in one place: whether this node accepts a proposed configuration. Every
 * acceptance is persisted before it is answered, so a voter never accepts two proposals for one
 * epoch, not even across a restart.
 */
final class Voter {

    /**
     * What the voter knows of its own situation when a proposal arrives: for a data node, the last
     * position of its own log, which (unlike a commit index) a restart does not forget.
     */
    record Situation(boolean dataNode, LogPosition lastLogged, boolean primaryHeardWithinLease, boolean selfIsLivePrimary) {
    }

    private final VoterStore store;
    private VoterState state;

    Voter(VoterStore store, Configuration genesis) {
        this.store = store;
        Optional<VoterState> loaded = store.load();
        this.state = loaded.orElseGet(() -> new VoterState(genesis.epoch(), genesis));
        this.restarted = loaded.isPresent();
    }

    private final boolean restarted;

    /** Whether the node found a persisted promise at start: it has run in this cluster before. */
    boolean restarted() {
        return restarted;
    }

    /** Writes the starting state of a new node, so that its next start is known to be a restart. */
    void persistIfNew() {
        if (!restarted) {
            persist(state);
        }
    }

    long promisedEpoch() {
        return state.promisedEpoch();
    }

    Configuration config() {
        return state.config();
    }

    /** Returns null when granted, else the reason for refusing. */
    String refusal(VoteRequest request, Situation me) {
        Configuration proposal = request.proposal();
        Configuration known = state.config();
        // One vote per epoch: a proposal must be newer than anything promised.
        if (proposal.epoch() <= state.promisedEpoch()) {
            return "epoch " + proposal.epoch() + " is not newer than promised epoch " + state.promisedEpoch();
        }
        if (!request.unsafe()) {
            // Only a member of the last in-sync set known here can hold every committed write.
            if (!known.isInSync(proposal.primary())) {
                return proposal.primary() + " is not in the in-sync set of epoch " + known.epoch() + " " + known.inSync();
            }
            // The up-to-date rule (Raft's): a candidate whose log ends before this voter's may lack
            // acknowledged writes this voter holds. Compared by (epoch, index): a tail written in an
            // older epoch may be a deposed primary's unacknowledged writes, a newer epoch's never is
            // behind. So after any restart the most complete log among the data voters wins.
            if (me.dataNode() && request.candidateLast().compareTo(me.lastLogged()) < 0) {
                return "candidate's log ends at " + request.candidateLast() + ", behind this voter's log at " + me.lastLogged();
            }
        }
        boolean changesPrimary = !proposal.primary().equals(known.primary());
        // The lease promise: while the primary may still serve reads under its lease, elect no other.
        if (changesPrimary && (me.selfIsLivePrimary() || me.primaryHeardWithinLease())) {
            return "primary '" + known.primary() + "' was heard from within its lease";
        }
        return null;
    }

    /**
     * The fencing rule: accept a primary's request only if its epoch is not older than our
     * promise, so a deposed primary cannot get a write acknowledged after a newer configuration
     * was accepted. The one exception is the sender's own pending reconfiguration: we promised
     * the next epoch to that same primary, which stays primary meanwhile.
     */
    boolean acceptsPrimary(String from, Configuration config, long activeEpoch) {
        if (config.epoch() >= state.promisedEpoch()) {
            return true;
        }
        return from.equals(state.config().primary()) && from.equals(config.primary()) && config.epoch() >= activeEpoch;
    }

    /** Accept a proposal (or its own): durable before the caller answers. */
    void accept(Configuration proposal) {
        persist(new VoterState(Math.max(proposal.epoch(), state.promisedEpoch()), proposal));
    }

    /**
     * Promise not to accept anything older than {@code epoch}, keeping the configuration known
     * here: a deposed primary or beaten candidate learned of a newer epoch but not that it won.
     */
    void promise(long epoch) {
        if (epoch > state.promisedEpoch()) {
            persist(new VoterState(epoch, state.config()));
        }
    }

    /**
     * Follow the configuration a primary announces: it won its epoch, so it replaces whatever this
     * voter accepted for the same epoch (a proposal that lost).
     */
    void adopt(Configuration config) {
        if (config.epoch() >= state.config().epoch() && !config.equals(state.config())) {
            persist(new VoterState(Math.max(config.epoch(), state.promisedEpoch()), config));
        }
    }

    private void persist(VoterState next) {
        store.save(next);
        state = next;
    }
}
