package pbkv.core;

import static pbkv.core.ReplicaContext.elapsed;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The lease rule, in one place, from both ends. A primary may answer reads on its own while a
 * majority (itself included) acknowledged one of its requests sent within lease.duration: a
 * voter that heard from it within that time elects no other primary ({@link #promisesPrimary},
 * the input of {@link Voter#refusal}), and lease.duration is shorter than failure.timeout. A
 * lease counts from when the acknowledged request was sent, not from when its answer came, so a
 * slow answer never stretches it.
 *
 * <p>The follower's end is also its failure detector: the known primary is the one it last
 * heard from, and it campaigns once that primary is silent for failure.timeout.
 */
final class Lease {

    private final ReplicaContext ctx;
    /** A primary's: per peer, when the request behind its latest acknowledgement was sent. */
    private final Map<String, Instant> ackedRequestSentAt = new HashMap<>();
    /** The primary this node last heard from (itself while primary); null if none yet. */
    private String knownPrimary;
    /** When it last heard from it, or since when a failure timeout runs. */
    private Instant heardAt;

    Lease(ReplicaContext ctx, Instant now) {
        this.ctx = ctx;
        this.heardAt = now;
    }

    // ------------------------------------------------------------ the primary's end

    /** A new primary: no peer has acknowledged anything of its epoch yet. */
    void startAsPrimary() {
        ackedRequestSentAt.clear();
        knownPrimary = ctx.me;
    }

    /** A follower holds no lease. */
    void stopAsPrimary() {
        ackedRequestSentAt.clear();
    }

    /** The peer acknowledged a request (or granted a vote) sent at {@code sentAt}. */
    void renew(String peer, Instant sentAt) {
        ackedRequestSentAt.merge(peer, sentAt, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Whether the peer acknowledged anything of this primary. */
    boolean acknowledged(String peer) {
        return ackedRequestSentAt.containsKey(peer);
    }

    /** Whether a majority acknowledged a request sent within lease.duration: reads may be answered. */
    boolean holds(Instant now) {
        List<Instant> acks = new ArrayList<>(ackedRequestSentAt.values());
        acks.add(now);
        if (acks.size() < ctx.settings.majority()) {
            return false;
        }
        acks.sort((a, b) -> b.compareTo(a));
        Instant majorityAck = acks.get(ctx.settings.majority() - 1);
        return elapsed(majorityAck, now).compareTo(ctx.settings.leaseDuration()) < 0;
    }

    // ------------------------------------------------------------ the follower's end

    void heardFrom(String primary, Instant now) {
        knownPrimary = primary;
        heardAt = now;
    }

    /** Restarts the failure timeout from {@code from}: a node gives a new state a whole timeout. */
    void restartTimeout(Instant from) {
        heardAt = from;
    }

    Instant heardAt() {
        return heardAt;
    }

    Duration silence(Instant now) {
        return elapsed(heardAt, now);
    }

    /** The primary this node follows, if heard from within failure.timeout; null if none. */
    String knownPrimary(Instant now) {
        if (knownPrimary == null || knownPrimary.equals(ctx.me) || silence(now).compareTo(ctx.settings.failureTimeout()) > 0) {
            return null;
        }
        return knownPrimary;
    }

    /** Whether a primary other than {@code candidate} may still hold a lease this node helped grant. */
    boolean promisesPrimary(String candidate, Instant now) {
        return knownPrimary != null && !knownPrimary.equals(candidate) && silence(now).compareTo(ctx.settings.leaseDuration()) < 0;
    }
}
