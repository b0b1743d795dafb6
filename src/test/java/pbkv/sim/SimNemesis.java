package pbkv.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Injects faults at random, overlapping freely: safety must hold under anything, and liveness
 * is not asserted. Each fault schedules its own repair; at {@link #healAll} everything left is
 * repaired at once (links restored, paused nodes resumed, crashed nodes restarted: empty in
 * memory mode, with what their disk kept in disk mode). Disk-mode seeds add two faults: a power
 * loss of one node, and a crash of every node at once.
 *
 * <p>Clock jumps: a forward jump of a node's clock makes its timers fire early. A primary whose
 * clock jumps only loses its lease sooner (safe). A voter whose clock jumps forward believes the
 * primary's lease ran out before it did: that breaks the lease assumption itself (clocks
 * advance at about the same rate). So the standard profile jumps a voter by less than half the
 * 1 ms minimum network delay (the margin between a primary's send and a voter's receipt), and
 * {@link Profile#CLOCK_JUMPS} jumps anyone by up to 800 ms. Random faults rarely hit the narrow
 * window in which such a jump matters; {@link ClockAssumptionTest} scripts it.
 */
final class SimNemesis {

    enum Profile {
        /** Everything: crashes, pauses, cuts, loss, slowness, duplication, delay spikes, small clock jumps. */
        STANDARD,
        /** Network noise, and above all the primary crashing or pausing (the async-mode test). */
        PRIMARY_CRASHES,
        /** Cuts between the data nodes (the unsafe two-node test). */
        PARTITIONS,
        /** As STANDARD, with arbitrary forward clock jumps of any node. */
        CLOCK_JUMPS
    }

    private final SimWorld world;
    private final Profile profile;
    private final long endNanos;
    private final Random random;
    private final EventQueue queue;

    SimNemesis(SimWorld world, Profile profile, long endNanos) {
        this.world = world;
        this.profile = profile;
        this.endNanos = endNanos;
        this.random = world.random();
        this.queue = world.queue();
    }

    void start() {
        queue.after(between(200, 600), this::strike);
    }

    void healAll() {
        world.log("HEAL all faults");
        world.network().healAll();
        for (SimNode n : world.nodes()) {
            if (n.disk != null) {
                n.disk.disarm(); // a power loss armed but not struck yet
            }
            world.resume(n);
            world.restart(n);
        }
    }

    private void strike() {
        if (queue.now() >= endNanos) {
            return;
        }
        switch (profile) {
            case PRIMARY_CRASHES -> strikePrimary();
            case PARTITIONS -> cutBetweenDataNodes();
            case CLOCK_JUMPS -> {
                if (random.nextInt(5) < 2) {
                    jumpClock(anyNode());
                } else {
                    strikeAnything();
                }
            }
            default -> strikeAnything();
        }
        queue.after(between(100, 900), this::strike);
    }

    private void strikeAnything() {
        // Disk-mode seeds add three picks (17 to 19: power losses, a crash of every node). Memory-mode
        // seeds never draw them, so the disk faults leave every memory-mode seed's world unchanged.
        int pick = random.nextInt(world.storage().disk() ? 20 : 17);
        switch (pick) {
            case 0, 1 -> crash(anyNode());
            case 2, 3 -> crash(primaryOrAny());
            case 4, 5 -> pause(anyNode());
            case 6, 7 -> pause(primaryOrAny());
            case 8, 9 -> cutOneWay(anyNode(), anyNode());
            case 10, 11 -> cutBothWays(anyNode(), anyNode());
            case 12 -> isolate(anyNode());
            case 13 -> noise();
            case 14 -> slowLink(anyNode(), anyNode());
            case 15 -> lossyLink(anyNode(), anyNode());
            case 16 -> jumpClock(anyNode());
            case 17 -> powerLoss(anyNode());
            case 18 -> powerLoss(primaryOrAny());
            default -> crashEveryNode();
        }
    }

    private void strikePrimary() {
        int pick = random.nextInt(6);
        switch (pick) {
            case 0, 1, 2 -> crash(primaryOrAny());
            case 3 -> pause(primaryOrAny());
            case 4 -> slowLink(primaryOrAny(), anyNode());
            default -> noise();
        }
    }

    private void cutBetweenDataNodes() {
        if (random.nextBoolean()) {
            cutBothWays(world.node("primary"), world.node("backup"));
        } else {
            cutOneWay(world.node(random.nextBoolean() ? "primary" : "backup"), world.node(random.nextBoolean() ? "primary" : "backup"));
        }
    }

    private void crash(SimNode n) {
        world.crash(n);
        queue.after(between(50, 2_500), () -> world.restart(n));
    }

    /**
     * Power loss on one node (disk mode): it strikes during the node's next disk write, or after
     * at most 200 ms between writes if it writes nothing. Only under fsync BATCH or ALWAYS: with
     * NEVER, a power loss of an in-sync node may lose acknowledged writes (the documented price
     * of storage without fsync), which the AckLedger would rightly report; we keep its invariant
     * as it is and inject a process crash there instead. A witness has no disk: it crashes.
     */
    private void powerLoss(SimNode n) {
        if (n.disk == null || n.disk.fsync() == SimDisk.Fsync.NEVER) {
            crash(n);
            return;
        }
        world.powerFailsDuringNextWrite(n);
        queue.after(between(0, 200), () -> world.powerLoss(n));
        queue.after(between(250, 2_700), () -> world.restart(n));
    }

    /** Every node down at once (a process crash each: the OS keeps the disks), then all restarted in a seeded order (disk mode). */
    private void crashEveryNode() {
        List<SimNode> all = new ArrayList<>(world.nodes());
        world.log("CRASH every node");
        all.forEach(world::crash);
        Collections.shuffle(all, random);
        long at = between(100, 1_500);
        for (SimNode n : all) {
            queue.after(at, () -> world.restart(n));
            at += between(0, 400);
        }
    }

    /** Pauses both shorter and longer than the failure timeout: the zombie primary case. */
    private void pause(SimNode n) {
        world.pause(n);
        queue.after(between(50, 3_000), () -> world.resume(n));
    }

    private void cutOneWay(SimNode from, SimNode to) {
        if (from == to) {
            return;
        }
        world.log("CUT " + from.id + ">" + to.id);
        world.network().cut(from.id, to.id);
        queue.after(between(100, 3_000), () -> {
            world.log("UNCUT " + from.id + ">" + to.id);
            world.network().uncut(from.id, to.id);
        });
    }

    private void cutBothWays(SimNode a, SimNode b) {
        if (a == b) {
            return;
        }
        world.log("CUT " + a.id + "<>" + b.id);
        world.network().cut(a.id, b.id);
        world.network().cut(b.id, a.id);
        queue.after(between(100, 3_000), () -> {
            world.log("UNCUT " + a.id + "<>" + b.id);
            world.network().uncut(a.id, b.id);
            world.network().uncut(b.id, a.id);
        });
    }

    private void isolate(SimNode n) {
        world.log("ISOLATE " + n.id);
        long heal = between(200, 3_000);
        for (SimNode other : world.nodes()) {
            if (other != n) {
                world.network().cut(n.id, other.id);
                world.network().cut(other.id, n.id);
                queue.after(heal, () -> {
                    world.network().uncut(n.id, other.id);
                    world.network().uncut(other.id, n.id);
                });
            }
        }
        queue.after(heal, () -> world.log("UNISOLATE " + n.id));
    }

    /** Duplicated messages and delay spikes (reordering) for a while. */
    private void noise() {
        double dup = random.nextDouble() * 0.5;
        double spike = random.nextDouble() * 0.3;
        world.log(String.format(java.util.Locale.ROOT, "NOISE duplicate=%.2f spike=%.2f", dup, spike));
        world.network().setDuplicateProbability(dup);
        world.network().setSpikeProbability(spike);
        queue.after(between(200, 3_000), () -> {
            world.log("NOISE off");
            world.network().setDuplicateProbability(0);
            world.network().setSpikeProbability(0);
        });
    }

    private void slowLink(SimNode from, SimNode to) {
        if (from == to) {
            return;
        }
        long extra = between(50, 600);
        world.log("SLOW " + from.id + ">" + to.id + " +" + extra / 1_000_000 + " ms");
        world.network().setExtraDelay(from.id, to.id, extra);
        queue.after(between(200, 3_000), () -> world.network().setExtraDelay(from.id, to.id, 0));
    }

    private void lossyLink(SimNode from, SimNode to) {
        if (from == to) {
            return;
        }
        double loss = 0.2 + random.nextDouble() * 0.7;
        world.log(String.format(java.util.Locale.ROOT, "LOSSY %s>%s %.2f", from.id, to.id, loss));
        world.network().setLoss(from.id, to.id, loss);
        queue.after(between(200, 3_000), () -> world.network().setLoss(from.id, to.id, 0));
    }

    /**
     * A primary's clock may jump by anything (it only shortens its own lease). Anyone else's only
     * by less than the minimum one-way delay, unless the profile breaks the lease assumption.
     */
    private void jumpClock(SimNode n) {
        boolean primary = n == world.currentPrimary();
        long nanos = primary || profile == Profile.CLOCK_JUMPS ? between(10, 800) : (long) (random.nextDouble() * 500_000);
        world.jumpClock(n, nanos);
    }

    private SimNode anyNode() {
        List<SimNode> all = new ArrayList<>(world.nodes());
        return all.get(random.nextInt(all.size()));
    }

    private SimNode primaryOrAny() {
        SimNode p = world.currentPrimary();
        return p != null ? p : anyNode();
    }

    private long between(long fromMillis, long toMillis) {
        return EventQueue.millis(fromMillis) + (long) (random.nextDouble() * EventQueue.millis(toMillis - fromMillis));
    }
}
