package pbkv.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import pbkv.core.DurableLog;
import pbkv.core.Member;
import pbkv.core.Outcome;
import pbkv.core.Replica;
import pbkv.core.ReplicaEvent;
import pbkv.core.ReplicaListener;
import pbkv.core.Role;
import pbkv.core.Transport;

/**
 * The simulated cluster: replicas wired through {@link SimNetwork}, each on its own
 * {@link SimClock}, every step an event of one {@link EventQueue}. It knows how to crash,
 * restart, pause and resume a node, and in disk mode how to cut its power; the {@link SimNemesis}
 * decides when. Nothing here reads the wall clock or an unseeded random: the run is a function
 * of its seed. (Longer than our usual ~200 lines: a node's whole life cycle is kept in one place.)
 */
final class SimWorld {

    /** A client request as the node runs it, with the node's own clock. */
    interface NodeCall {
        CompletableFuture<Outcome> call(SimNode node, Instant now);
    }

    private final EventQueue queue;
    private final Random random;
    private final Trace trace;
    private final SimNetwork network;
    private final Map<String, SimNode> nodes = new LinkedHashMap<>();
    private final PeerMessaging messaging = new PeerMessaging(this);
    private final SimConfig.Storage storage;
    private Consumer<String> violations = v -> { };

    SimWorld(SimConfig config, Random random, EventQueue queue, Trace trace) {
        this.queue = queue;
        this.random = random;
        this.trace = trace;
        this.network = new SimNetwork(random);
        this.storage = config.storage();
        for (Member m : config.members()) {
            long drift = random.nextInt(2 * SimClock.MAX_DRIFT_PPM + 1) - SimClock.MAX_DRIFT_PPM;
            SimClock clock = new SimClock((long) (random.nextDouble() * EventQueue.millis(1000)), drift);
            SimDisk disk = storage.disk() && !m.witness() ? new SimDisk(m.id(), storage.fsync(), random) : null;
            nodes.put(m.id(), new SimNode(m.id(), m.witness(), config.settingsFor(m.id()), clock, disk));
        }
        for (SimNode n : nodes.values()) {
            trace.log(0, "node " + n.id + (n.witness ? " (witness)" : "") + " clock " + n.clock);
            start(n);
            queue.after((long) (random.nextDouble() * EventQueue.millis(10)), () -> tick(n));
        }
    }

    /** Where a replica's exceptions (a broken internal assertion) are reported. */
    void onViolation(Consumer<String> sink) {
        this.violations = sink;
    }

    EventQueue queue() {
        return queue;
    }

    Random random() {
        return random;
    }

    SimNetwork network() {
        return network;
    }

    SimConfig.Storage storage() {
        return storage;
    }

    Collection<SimNode> nodes() {
        return nodes.values();
    }

    SimNode node(String id) {
        return nodes.get(id);
    }

    List<String> dataNodeIds() {
        List<String> ids = new ArrayList<>();
        nodes.values().stream().filter(n -> !n.witness).forEach(n -> ids.add(n.id));
        return ids;
    }

    Instant now(SimNode n) {
        return n.clock.at(queue.now());
    }

    void log(String line) {
        trace.log(queue.now(), line);
    }

    /** The running node that is PRIMARY in the highest epoch, or null. */
    SimNode currentPrimary() {
        SimNode best = null;
        for (SimNode n : nodes.values()) {
            if (n.up() && n.replica.role() == Role.PRIMARY && (best == null || n.replica.epoch() > best.replica.epoch())) {
                best = n;
            }
        }
        return best;
    }

    // ---------------------------------------------------------------- process faults

    void crash(SimNode n) {
        if (n.state == SimNode.State.CRASHED) {
            return;
        }
        log("CRASH " + n.id + (n.disk == null ? " (kill -9: memory lost, vote kept)" : " (kill -9: memory lost, vote and disk kept)"));
        down(n);
    }

    /**
     * The power will fail at {@code n} during its next disk write (within {@link #powerLoss}'s
     * deadline, which the nemesis sets): the node dies mid-append, and its disk keeps what was
     * synced and perhaps part of that append ({@link SimDisk}).
     */
    void powerFailsDuringNextWrite(SimNode n) {
        if (n.state == SimNode.State.CRASHED || n.disk == null) {
            return;
        }
        log("POWER LOSS at " + n.id + " armed: it strikes during its next disk write");
        n.disk.failDuringNextAppend(() -> powerOff(n, "during a disk write"));
    }

    /** The armed power loss strikes now if it has not yet (the node wrote nothing meanwhile). */
    void powerLoss(SimNode n) {
        if (n.disk != null && n.disk.powerLossArmed()) {
            powerOff(n, "between disk writes");
        }
    }

    private void powerOff(SimNode n, String when) {
        String kept = n.disk.loseUnsynced();
        log("POWER LOSS " + n.id + " " + when + ": memory lost, vote kept, disk " + kept + ", last index " + n.disk.lastIndex());
        down(n);
    }

    private void down(SimNode n) {
        if (n.disk != null) {
            n.disk.disarm();
        }
        n.state = SimNode.State.CRASHED;
        n.held.clear();
        n.replica = null;
    }

    void restart(SimNode n) {
        if (n.state != SimNode.State.CRASHED) {
            return;
        }
        log("RESTART " + n.id);
        start(n);
    }

    void pause(SimNode n) {
        if (n.state == SimNode.State.UP) {
            log("PAUSE " + n.id);
            n.state = SimNode.State.PAUSED;
        }
    }

    void resume(SimNode n) {
        if (n.state != SimNode.State.PAUSED) {
            return;
        }
        log("RESUME " + n.id + " with " + n.held.size() + " held messages");
        n.state = SimNode.State.UP;
        List<Runnable> work = new ArrayList<>(n.held);
        n.held.clear();
        work.forEach(w -> queue.after(0, w)); // in arrival order, before anything later
    }

    void jumpClock(SimNode n, long nanos) {
        log("CLOCK " + n.id + " jumps forward " + nanos / 1_000_000 + " ms");
        n.clock.jumpForward(nanos);
    }

    // ---------------------------------------------------------------- node internals

    private void start(SimNode n) {
        n.incarnation++;
        int incarnation = n.incarnation;
        Transport transport = (to, request) -> messaging.send(n.id, incarnation, to, request);
        ReplicaListener listener = new ReplicaListener() {
            @Override
            public void onEvent(ReplicaEvent event) {
                log("[" + n.id + "] " + event.kind() + ": " + event.line());
            }
        };
        n.state = SimNode.State.UP;
        DurableLog durable = n.disk == null ? DurableLog.NONE : n.disk;
        try {
            n.replica = new Replica(n.settings, transport, n.voterStore, durable, new Random(random.nextLong()), listener, now(n));
        } catch (RuntimeException e) {
            violations.accept("node " + n.id + " could not start: " + e);
            down(n);
        }
    }

    private void tick(SimNode n) {
        if (n.up()) {
            guarded(n, () -> n.replica.tick(now(n)));
        }
        queue.after(EventQueue.millis(5) + (long) (random.nextDouble() * EventQueue.millis(10)), () -> tick(n));
    }

    /** Runs {@code work} on {@code n} now if it runs, later if it is paused, never if it crashed. */
    void arrive(SimNode n, Runnable work) {
        switch (n.state) {
            case UP -> work.run();
            case PAUSED -> n.held.add(() -> arrive(n, work));
            case CRASHED -> { }
        }
    }

    /** Runs a replica call; an exception from the core is a violation, not a crash of the sweep. */
    void guarded(SimNode n, Runnable work) {
        try {
            work.run();
        } catch (SimDisk.PowerFailure e) {
            // The node lost power mid-write and is down already: nothing after the write ran.
        } catch (RuntimeException e) {
            violations.accept("node " + n.id + " threw " + e);
        }
    }

    // ---------------------------------------------------------------- client traffic

    /**
     * Sends a client request to node {@code id}; {@code reply} gets the outcome, or null when
     * the node was down (connection refused: definitely not applied). A node that crashes with
     * the request pending never answers (nor one that lost power in the step that decided it):
     * the client's own timeout decides.
     */
    void clientCall(String id, NodeCall call, Consumer<Outcome> reply) {
        SimNode n = nodes.get(id);
        queue.after(network.clientDelay(), () -> {
            if (n.state == SimNode.State.CRASHED) {
                queue.after(network.clientDelay(), () -> reply.accept(null));
                return;
            }
            arrive(n, () -> {
                int incarnation = n.incarnation;
                guarded(n, () -> call.call(n, now(n)).thenAccept(outcome -> {
                    if (n.state != SimNode.State.CRASHED && n.incarnation == incarnation) {
                        queue.after(network.clientDelay(), () -> reply.accept(outcome));
                    }
                }));
            });
        });
    }
}
