package pbkv.peer;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which peers share this node's {@link ClusterFingerprint}, as learned from every peer message in
 * either direction: a request or reply that carried (or accepted) ours agrees; a request we refused,
 * or a refusal of ours, differs.
 *
 * <p>The node is healthy unless some peer differs and fewer than a majority of its own configured
 * members (itself included) are known to agree. So with one misconfigured node, the misconfigured
 * one reports DOWN (nobody agrees with it) while the others stay UP (they agree with each other).
 */
public final class MembershipAgreement {

    private static final System.Logger LOG = System.getLogger("pbkv.membership");

    /** How a peer's fingerprint differs: theirs, and who refused whom. */
    public record Mismatch(String theirFingerprint, boolean refusedByUs) {
    }

    private static final Object AGREES = new Object();

    private final ClusterFingerprint own;
    private final List<String> peerIds;
    private final Map<String, String> peerByUrl;
    private final int majority;
    // peer id -> AGREES or a Mismatch; absent until the first message either way
    private final Map<String, Object> state = new ConcurrentHashMap<>();
    private final AtomicLong refusals = new AtomicLong();
    // fingerprints of senders that named no member of ours: for logging each once, bounded
    private final Map<String, Mismatch> strangers = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Mismatch> eldest) {
            return size() > 64;
        }
    });

    /**
     * @param peerUrls every other member's id and base URL
     * @param members  how many members this node's configuration lists, itself included
     */
    public MembershipAgreement(ClusterFingerprint own, Map<String, String> peerUrls, int members) {
        this.own = own;
        this.peerIds = List.copyOf(new TreeMap<>(peerUrls).keySet());
        this.peerByUrl = Map.copyOf(peerUrls.entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey)));
        // The plain majority of the member list, not the vote's (ReplicaSettings.majority): in unsafe
        // two-node mode one vote suffices, but one agreeing node must not make a mismatched pair healthy.
        this.majority = members / 2 + 1;
    }

    public ClusterFingerprint own() {
        return own;
    }

    /** Whether {@code id} is another member of this node's configuration. */
    public boolean isPeer(String id) {
        return id != null && peerIds.contains(id);
    }

    /** The member a request URL of ours goes to, or null. */
    String peerAt(String url) {
        for (Map.Entry<String, String> e : peerByUrl.entrySet()) {
            if (url.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    /** A message in either direction showed that {@code peer} has our fingerprint. */
    public void agreed(String peer) {
        if (!isPeer(peer) || state.get(peer) == AGREES) {
            return; // the common case, every message: no write
        }
        Object before = state.put(peer, AGREES);
        if (before instanceof Mismatch) {
            LOG.log(System.Logger.Level.INFO, "event=membership peer={0} agrees: fingerprint {1}", peer, own.value());
        }
    }

    /**
     * {@code peer} has another fingerprint: logged once per peer and fingerprint, counted every
     * time. A sender that does not name a member of ours is logged and counted, but does not
     * count against this node's health: a stranger must not be able to take a node down.
     */
    public void differs(String peer, String theirs, boolean refusedByUs) {
        refusals.incrementAndGet();
        Mismatch now = new Mismatch(theirs == null ? "none" : theirs, refusedByUs);
        Object before = isPeer(peer) ? state.put(peer, now) : strangers.put(now.theirFingerprint(), now);
        if (!(before instanceof Mismatch m) || !m.theirFingerprint().equals(now.theirFingerprint())) {
            LOG.log(System.Logger.Level.WARNING, "event=membership peer={0} fingerprint={1} ours={2} ({3}): {4}",
                    isPeer(peer) ? peer : "unknown(" + peer + ")", now.theirFingerprint(), own.value(), own.description(), refusedByUs
                            ? "refused its message: its cluster name or member list differs from ours"
                            : "it refused our message: its cluster name or member list differs from ours");
        }
    }

    /** Messages refused either way since start, for the metric. */
    public long refusals() {
        return refusals.get();
    }

    /** Peers whose fingerprint differs from ours, by id. */
    public Map<String, Mismatch> mismatches() {
        Map<String, Mismatch> out = new TreeMap<>();
        state.forEach((peer, s) -> {
            if (s instanceof Mismatch m) {
                out.put(peer, m);
            }
        });
        return out;
    }

    /** Why this node must not serve, or null: some peer differs and no majority agrees with it. */
    public String unhealthyReason() {
        Map<String, Mismatch> differ = mismatches();
        if (differ.isEmpty()) {
            return null;
        }
        long agree = 1 + state.values().stream().filter(s -> s == AGREES).count();
        if (agree >= majority) {
            return null;
        }
        return "cluster membership differs from " + differ.keySet() + " and only " + agree + " of the " + majority
                + " members a majority needs agree with ours (" + own.value() + ": " + own.description() + ")";
    }
}
