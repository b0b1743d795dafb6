package pbkv.sim;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import pbkv.check.OpType;
import pbkv.check.Operation;
import pbkv.core.LogPosition;
import pbkv.core.Outcome;
import pbkv.core.Replica;

/**
 * A client doing one operation at a time (get, put, cas, delete on a few keys) against the node
 * it believes is the primary, following NotPrimary hints, recording each operation with invoke
 * and complete times in global virtual time. Written values are unique ({@code client-n}), which
 * is what lets {@link AckLedger} tell one write from another.
 */
final class SimClient {

    private record Pending(long number, OpType type, String key, String value, Long expected, long invokedAt, String node) {
        @Override
        public String toString() {
            return "#" + number + " " + type.label() + " " + key + (value == null ? "" : "=" + value)
                    + (expected == null ? "" : " if version " + expected) + " at " + node;
        }
    }

    private final String id;
    private final SimWorld world;
    private final InvariantMonitor monitor;
    private final SimHistory history;
    private final List<String> keys;
    private final long stopAt;
    private final Random random;
    private final Map<String, Long> lastVersion = new HashMap<>();
    private String target = "primary";
    private long operations;
    private Pending pending;

    SimClient(String id, SimWorld world, InvariantMonitor monitor, SimHistory history, List<String> keys, long stopAt) {
        this.id = id;
        this.world = world;
        this.monitor = monitor;
        this.history = history;
        this.keys = List.copyOf(keys);
        this.stopAt = stopAt;
        this.random = world.random();
    }

    void start() {
        world.queue().after(think(), this::issue);
    }

    /** The run is over: whatever is still pending has an unknown outcome. */
    void giveUp() {
        if (pending != null) {
            record(pending, pbkv.check.Completion.UNKNOWN, null, null);
            pending = null;
        }
    }

    private void issue() {
        if (world.queue().now() >= stopAt) {
            return;
        }
        int dice = random.nextInt(20);
        OpType type = dice < 7 ? OpType.GET : dice < 13 ? OpType.PUT : dice < 17 ? OpType.CAS : OpType.DELETE;
        String key = keys.get(random.nextInt(keys.size()));
        String value = type == OpType.PUT || type == OpType.CAS ? id + "-" + (operations + 1) : null;
        Long expected = type == OpType.CAS ? lastVersion.getOrDefault(key, 1L + random.nextInt(20)) : null;
        Pending p = new Pending(++operations, type, key, value, expected, world.queue().now(), target);
        pending = p;
        world.log("client " + id + " invokes " + p);
        world.clientCall(target, (node, now) -> call(node, now, p), outcome -> answered(p, outcome));
        world.queue().after(EventQueue.millis(SimConfig.CLIENT_TIMEOUT_MILLIS), () -> timedOut(p));
    }

    private CompletableFuture<Outcome> call(SimNode node, Instant now, Pending p) {
        Replica replica = node.replica;
        if (p.type() == OpType.GET) {
            return replica.read(p.key(), now);
        }
        LogPosition before = replica.lastPosition();
        CompletableFuture<Outcome> future;
        try {
            future = replica.write(p.key(), p.value(), p.expected(), now);
        } catch (SimDisk.PowerFailure e) {
            // The power failed while the write was persisted: it may survive on disk, unacknowledged.
            noteAppended(replica, before, p);
            throw e;
        }
        LogPosition appended = noteAppended(replica, before, p);
        if (appended != null) {
            future.thenAccept(o -> {
                // An answer decided in a step the power failed during never left the process.
                boolean alive = node.replica == replica;
                if (alive && (o instanceof Outcome.Value || o instanceof Outcome.NotFound nf && nf.deleted())) {
                    monitor.onAcknowledged(node, p.key(), p.value(), appended);
                }
            });
        }
        return future;
    }

    /** Records the write's log position if it appended one (read off the primary right after the call), else null. */
    private LogPosition noteAppended(Replica replica, LogPosition before, Pending p) {
        LogPosition appended = replica.lastPosition();
        if (appended.equals(before)) {
            return null;
        }
        monitor.acks().appended(p.key(), p.value(), appended);
        return appended;
    }

    private void answered(Pending p, Outcome outcome) {
        if (pending != p) {
            world.log("client " + id + " ignores a late answer to " + p + ": " + outcome);
            return;
        }
        world.log("client " + id + " completes " + p + ": " + (outcome == null ? "connection refused" : outcome));
        pending = null;
        if (outcome instanceof Outcome.Value v) {
            lastVersion.put(p.key(), v.value().version());
            record(p, pbkv.check.Completion.OK, p.type() == OpType.GET ? v.value().value() : null, Long.toString(v.value().version()));
        } else if (outcome instanceof Outcome.NotFound nf) {
            boolean ok = p.type() == OpType.GET || nf.deleted();
            record(p, ok ? pbkv.check.Completion.OK : pbkv.check.Completion.FAIL, null, null);
        } else if (outcome instanceof Outcome.PreconditionFailed pf) {
            if (pf.current() != null) {
                lastVersion.put(p.key(), pf.current());
            }
            record(p, pbkv.check.Completion.FAIL, null, null);
        } else if (outcome instanceof Outcome.Unavailable u && u.outcomeUnknown()) {
            record(p, pbkv.check.Completion.UNKNOWN, null, null);
            maybeMove(2);
        } else {
            history.rejected(); // definitely not applied: NotPrimary, Unavailable, connection refused
            if (outcome instanceof Outcome.NotPrimary np) {
                target = np.primaryHint() != null ? np.primaryHint() : nextDataNode();
            } else {
                maybeMove(outcome == null ? 1 : 2);
            }
        }
        world.queue().after(think(), this::issue);
    }

    private void timedOut(Pending p) {
        if (pending != p) {
            return;
        }
        world.log("client " + id + " gives up on " + p);
        pending = null;
        record(p, pbkv.check.Completion.UNKNOWN, null, null);
        maybeMove(1);
        world.queue().after(think(), this::issue);
    }

    private void record(Pending p, pbkv.check.Completion outcome, String readValue, String version) {
        String expected = p.expected() == null ? null : Long.toString(p.expected());
        history.record(new Operation(id, p.key(), p.type(), p.value(), expected, outcome, readValue, version, p.invokedAt(),
                world.queue().now(), 0));
    }

    /** Tries another node with probability 1/{@code oneIn}: the primary may have moved. */
    private void maybeMove(int oneIn) {
        if (random.nextInt(oneIn) == 0) {
            target = nextDataNode();
        }
    }

    private String nextDataNode() {
        List<String> data = world.dataNodeIds();
        return data.get((data.indexOf(target) + 1) % data.size());
    }

    private long think() {
        return EventQueue.millis(5) + (long) (random.nextDouble() * EventQueue.millis(55));
    }
}
