package pbkv.core;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/** A configuration this node proposed and is collecting votes for. */
final class Proposal {
    enum Kind { ELECTION, RECONFIGURATION }

    final Kind kind;
    final Configuration config;
    final Instant startedAt;
    final boolean unsafe;
    final String reason;
    /** An election's first round: nothing promised yet, the node is still a backup. */
    final boolean preVote;
    final Set<String> grants = new HashSet<>();
    final Set<String> refusals = new HashSet<>();
    /**
     * The vote requests of this proposal. A reply counts only if it answers one of them: a
     * pre-vote and the binding vote after it share an epoch, and a late pre-vote grant must never
     * count as a binding vote.
     */
    final Set<Long> requestIds = new HashSet<>();

    Proposal(Kind kind, Configuration config, Instant startedAt, boolean unsafe, String reason, boolean preVote) {
        this.preVote = preVote;
        this.kind = kind;
        this.config = config;
        this.startedAt = startedAt;
        this.unsafe = unsafe;
        this.reason = reason;
    }
}
