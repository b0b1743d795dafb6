package pbkv.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import pbkv.core.Configuration;
import pbkv.core.LogPosition;
import pbkv.core.Role;
import pbkv.core.VoterState;

/**
 * The safety invariants of docs/design.md, checked after every event of a run (the checker covers the rest at the end):
 * <ol>
 *   <li>epochs: the epoch a node acts on never decreases, not even across a restart, and is never
 *       ahead of the promise in its VoterStore (durable before acting);</li>
 *   <li>one primary per epoch: no two nodes are ever PRIMARY in the same epoch, and at most one
 *       node acknowledges writes in an epoch ({@code Replica.epoch()} when the write completes);</li>
 *   <li>no acknowledged write is lost: when a node becomes PRIMARY in epoch E, and whenever a
 *       write is acknowledged in an epoch older than a running primary's E, that primary's store
 *       holds every write acknowledged in epochs before E, or a later write to the same key
 *       ({@link AckLedger}); at the end, the final primary holds every acknowledged write.</li>
 *   <li>one lease holder: no two nodes are PRIMARY under a valid lease at the same time, whatever
 *       their epochs;</li>
 *   <li>no divergence of acknowledged writes: in a safe configuration no node ever drops, on
 *       installing a snapshot, an entry it had acknowledged ({@code Replica.divergence()}).</li>
 * </ol>
 * The first violation stops the run; it is recorded with the trace line it happened at.
 */
final class InvariantMonitor {

    private static final long GENESIS_EPOCH = Configuration.genesis("primary").epoch();

    private final SimWorld world;
    private final AckLedger acks = new AckLedger();
    private final Map<String, Long> highestEpoch = new HashMap<>();
    private final Map<String, Role> lastRole = new HashMap<>();
    private final Map<Long, String> primaryOfEpoch = new HashMap<>();
    private final Map<Long, String> ackerOfEpoch = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private long promotions;
    /** Sync mode without the unsafe two-node switch: no node may ever drop a write it acknowledged. */
    private final boolean safeConfiguration;

    InvariantMonitor(SimWorld world, boolean safeConfiguration) {
        this.world = world;
        this.safeConfiguration = safeConfiguration;
        world.onViolation(this::violation);
    }

    AckLedger acks() {
        return acks;
    }

    boolean failed() {
        return !violations.isEmpty();
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    long promotions() {
        return promotions;
    }

    void violation(String what) {
        world.log("VIOLATION " + what);
        violations.add("at " + Trace.formatTime(world.queue().now()) + ": " + what);
    }

    /** Invariants 1 and 2, and invariant 3 on promotion: after every event. */
    void afterEvent() {
        checkOneLeaseHolder();
        for (SimNode n : world.nodes()) {
            if (n.replica == null) {
                lastRole.remove(n.id); // crashed: its next life starts as a follower
                continue;
            }
            long epoch = n.replica.epoch();
            long before = highestEpoch.getOrDefault(n.id, 0L);
            if (epoch < before) {
                violation(n.id + " acts on epoch " + epoch + " after epoch " + before);
            }
            highestEpoch.put(n.id, Math.max(before, epoch));
            // Nothing stored yet means the genesis configuration, which every node starts from.
            long promised = n.voterStore.load().map(VoterState::promisedEpoch).orElse(GENESIS_EPOCH);
            if (epoch > promised) {
                violation(n.id + " acts on epoch " + epoch + " but its VoterStore holds only promise " + promised);
            }
            Role role = n.replica.role();
            if (role == Role.PRIMARY) {
                String other = primaryOfEpoch.putIfAbsent(epoch, n.id);
                if (other != null && !other.equals(n.id)) {
                    violation("two primaries in epoch " + epoch + ": " + other + " and " + n.id);
                }
                if (lastRole.get(n.id) != Role.PRIMARY) {
                    promotions++;
                    String missing = acks.missingFrom(n.replica, epoch);
                    if (missing != null) {
                        violation(n.id + " became PRIMARY in epoch " + epoch + " without an acknowledged write: " + missing);
                    }
                }
            }
            lastRole.put(n.id, role);
            if (safeConfiguration && n.replica.stats().divergentAcknowledged.get() > 0) {
                violation(n.id + " dropped " + n.replica.stats().divergentAcknowledged.get()
                        + " acknowledged writes on rejoining: " + n.replica.divergence().entries());
            }
        }
    }

    /**
     * Two nodes acting as primary at once, each under a lease it holds by its own clock, can both
     * answer clients: a split brain, even in different epochs. Checked only when two are PRIMARY.
     */
    private void checkOneLeaseHolder() {
        List<String> leading = new ArrayList<>();
        for (SimNode n : world.nodes()) {
            if (n.replica != null && n.replica.role() == Role.PRIMARY) {
                leading.add(n.id);
            }
        }
        if (leading.size() < 2) {
            return;
        }
        List<String> leased = new ArrayList<>();
        for (SimNode n : world.nodes()) {
            if (leading.contains(n.id) && n.replica.view(world.now(n)).leaseValid()) {
                leased.add(n.id + " (epoch " + n.replica.epoch() + ")");
            }
        }
        if (leased.size() > 1) {
            violation("two primaries hold a lease at once: " + leased);
        }
    }

    /** Whether the write a client just got acknowledged at {@code node} appended at {@code position}. */
    void onAcknowledged(SimNode node, String key, String value, LogPosition position) {
        long epoch = node.replica.epoch();
        String other = ackerOfEpoch.putIfAbsent(epoch, node.id);
        if (other != null && !other.equals(node.id)) {
            violation("two nodes acknowledged writes in epoch " + epoch + ": " + other + " and " + node.id);
        }
        String conflict = acks.acknowledged(key, value, position, node.id, epoch);
        if (conflict != null) {
            violation(conflict);
        }
        // A late acknowledgement (e.g. a resumed zombie primary counting an old ack) is safe only
        // if every newer primary already holds the write.
        for (SimNode n : world.nodes()) {
            if (n != node && n.replica != null && n.replica.role() == Role.PRIMARY && n.replica.epoch() > epoch) {
                String missing = acks.missingFrom(n.replica, key, n.replica.epoch());
                if (missing != null) {
                    violation(node.id + " acknowledged a write in epoch " + epoch + " that the primary " + n.id + " of epoch "
                            + n.replica.epoch() + " lacks: " + missing);
                }
            }
        }
    }

    /** After the heal and the quiet period: the final primary holds every acknowledged write. */
    void finalCheck() {
        SimNode primary = world.currentPrimary();
        if (primary == null) {
            world.log("no primary at the end: nothing to compare");
            return;
        }
        String missing = acks.missingFrom(primary.replica, primary.replica.epoch() + 1);
        if (missing != null) {
            violation("the final primary " + primary.id + " lacks an acknowledged write: " + missing);
        }
    }
}
