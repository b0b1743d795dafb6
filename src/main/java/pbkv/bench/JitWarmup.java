package pbkv.bench;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Unmeasured load until every node's JIT has settled, so that a scenario measures replication
 * rather than compilation. A Spring Boot node under this load compiles for minutes, and a
 * multi-node scenario compiles three or four JVMs on the same two cores as the load, so any fixed
 * warm-up either wastes time or measures the compilers as much as the nodes. Rounds of
 * {@link #ROUND} run until each node spent under {@link #SETTLED_SHARE} of the round compiling
 * for {@link #QUIET_ROUNDS} rounds in a row, or until the cap. One quiet round is not enough: a
 * compiler starved of CPU works in bursts, and a pause between two bursts looks settled.
 * (Measured effects of both choices: docs/performance.md.)
 */
final class JitWarmup {

    static final Duration ROUND = Duration.ofSeconds(5);
    /** 2 %: 100 ms of compilation in a 5 s round, what a settled node still does now and then. */
    static final double SETTLED_SHARE = 0.02;
    /** Quiet rounds in a row that make a node settled. */
    static final int QUIET_ROUNDS = 2;
    /** Fewer rounds than this never settle anything: the first ones only start the load. */
    static final Duration MINIMUM = Duration.ofSeconds(20);

    private JitWarmup() {
    }

    /** Runs the load for between {@link #MINIMUM} and {@code cap}; prints how it ended. */
    static void run(String label, BenchCluster cluster, ClosedLoopLoad.Workload workload, int clients, List<HttpClient> httpClients,
                    Duration cap, PrintStream out) throws InterruptedException {
        long start = System.nanoTime();
        Map<String, Double> before = compilation(cluster);
        int quietRounds = 0;
        while (true) {
            ClosedLoopLoad.run(workload, clients, httpClients, ROUND, Duration.ZERO);
            Map<String, Double> now = compilation(cluster);
            Map<String, Double> lastRound = difference(before, now);
            before = now;
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            boolean quiet = lastRound.values().stream().allMatch(ms -> quiet(ms, ROUND.toMillis()));
            quietRounds = quiet ? quietRounds + 1 : 0;
            boolean settled = quietRounds >= QUIET_ROUNDS;
            if ((settled && elapsed.compareTo(MINIMUM) >= 0) || elapsed.plus(ROUND).compareTo(cap) > 0) {
                out.printf(Locale.ROOT, "[%s] JIT warm-up at %d clients: %s after %d s (ms compiling in the last %d s: %s)%n", label,
                        clients, settled ? "settled" : "NOT settled", elapsed.toSeconds(), ROUND.toSeconds(),
                        lastRound.entrySet().stream().map(e -> e.getKey() + " " + Math.round(e.getValue())).collect(Collectors.joining(", ")));
                return;
            }
        }
    }

    /** Per node, ms its JIT has compiled so far (-1 where the node does not answer). */
    static Map<String, Double> compilation(BenchCluster cluster) {
        Map<String, Double> millis = new LinkedHashMap<>();
        for (String id : cluster.ids()) {
            millis.put(id, cluster.compilationMillis(id));
        }
        return millis;
    }

    /**
     * The settled rule: a node that compiled for {@code compileMillis} of {@code windowMillis}
     * (-1: unknown, never quiet) is quiet below {@link #SETTLED_SHARE} of the window.
     */
    static boolean quiet(double compileMillis, double windowMillis) {
        return compileMillis >= 0 && compileMillis < SETTLED_SHARE * windowMillis;
    }

    /** Per node, what was compiled between two readings; -1 where a reading is missing. */
    static Map<String, Double> difference(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> d = new LinkedHashMap<>();
        after.forEach((id, ms) -> {
            double was = before.getOrDefault(id, -1.0);
            d.put(id, ms < 0 || was < 0 ? -1.0 : ms - was);
        });
        return d;
    }
}
