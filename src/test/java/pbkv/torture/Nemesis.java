package pbkv.torture;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import pbkv.harness.ClusterBuilder;
import pbkv.harness.ClusterHarness;
import pbkv.harness.NodeProcess;

/**
 * Applies faults to a {@link ClusterHarness} one at a time: quiet time, one fault (applied, held,
 * healed), then a wait until the cluster has settled again, so that faults never pile up beyond what
 * the cluster tolerates. The kinds and their parameters come from a seeded {@link Random}; which node
 * is primary when a fault starts depends on timing. A cluster that does not recover is a problem.
 */
final class Nemesis {

    /** Bounds the wait for recovery after a fault: a restarted node's JVM can take long to start under load. */
    static final Duration SETTLE = Duration.ofSeconds(90);
    private static final int EXIT_AFTER_SIGKILL = 128 + 9;

    private final ClusterHarness cluster;
    private final boolean witness;
    private final Random random;
    private final List<FaultKind> script;
    private final Consumer<String> log;
    private final List<String> applied = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final FaultInjector injector;

    /** @param script the faults to apply in order, or null for random ones from the whole repertoire */
    Nemesis(ClusterHarness cluster, List<String> dataNodes, long seed, List<FaultKind> script, Consumer<String> log) {
        this.cluster = cluster;
        this.witness = cluster.nodeIds().contains(ClusterBuilder.WITNESS);
        this.random = new Random(seed);
        this.script = script;
        this.log = log;
        this.injector = new FaultInjector(cluster, dataNodes, random);
    }

    /** Faults as applied, e.g. {@code kill-primary(primary; backup took over; primary restarted)}. */
    List<String> applied() {
        return List.copyOf(applied);
    }

    /** Liveness problems: no failover, no recovery after healing, a node that exited by itself. */
    List<String> problems() {
        return List.copyOf(problems);
    }

    /** Starts faults until {@code deadlineNanos}; returns once the last one is healed and settled. */
    void run(long deadlineNanos) throws InterruptedException {
        Iterator<FaultKind> scripted = script == null ? null : script.iterator();
        List<FaultKind> repertoire = FaultKind.applicable(witness);
        boolean first = true;
        while (true) {
            // Quiet time: the workload runs without a fault. Longer at first: fresh node JVMs are slow
            // for a few seconds, and a fault then would meet only a trickle of client operations.
            hold(first ? 2000 : 500, first ? 3000 : 1500);
            first = false;
            if (System.nanoTime() > deadlineNanos || (scripted != null && !scripted.hasNext())) {
                return;
            }
            FaultKind kind = scripted != null ? scripted.next() : repertoire.get(random.nextInt(repertoire.size()));
            try {
                String what = kind.label() + "(" + injector.inject(kind) + ")";
                applied.add(what);
                log.accept(what);
            } catch (AssertionError e) { // a harness wait timed out: the cluster is stuck
                problems.add(kind.label() + ": " + e.getMessage().lines().findFirst().orElse(""));
                healAll();
                return;
            }
            healAll();
            if (!settled("after " + kind.label())) {
                return;
            }
        }
    }

    /** Every link back to pass, every paused node resumed, every dead node restarted. */
    void healAll() {
        cluster.heal();
        for (String id : cluster.nodeIds()) {
            NodeProcess node = cluster.node(id);
            if (node.isPaused()) {
                node.resume();
            }
            if (!node.isAlive()) {
                node.exitCode().ifPresent(code -> {
                    if (code != EXIT_AFTER_SIGKILL) {
                        problems.add(id + " exited by itself with code " + code + " (see its log)");
                    }
                });
                node.start();
            }
        }
    }

    /** Waits until there is one primary and every backup is in its epoch; false (and a problem) if not. */
    boolean settled(String when) {
        try {
            cluster.awaitSettled(SETTLE);
            return true;
        } catch (AssertionError e) {
            problems.add("not settled within " + SETTLE.toSeconds() + " s " + when);
            return false;
        }
    }

    /** Sleeps a random time in [min, max) ms: the quiet time between faults. */
    private void hold(int minMillis, int maxMillis) throws InterruptedException {
        Thread.sleep(minMillis + random.nextInt(maxMillis - minMillis));
    }
}
