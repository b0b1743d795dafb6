package pbkv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The deterministic simulation sweep: 500 seeds of the standard scenario,
 * each a few simulated seconds of clients and overlapping faults, every invariant checked after
 * every event ({@link InvariantMonitor}) and the history checked for linearizability at the end.
 * Every third seed runs in disk mode, with power losses and crashes of every node
 * ({@link SimConfig#withStorageFor}, {@link SimDisk}).
 *
 * <p>{@code -Dsim.seed=N} replays seed N alone and prints its whole trace ({@code -Dsim.scenario}
 * picks another {@link SimScenario}); {@code -Dsim.seeds=M -Dsim.firstSeed=F} runs a longer sweep.
 * A failing seed's history is written to {@code target/sim-failures/seed-N.history} (pbkv
 * format, for {@code bin/check-history --format pbkv}).
 */
class SimulationSweepTest {

    private static final int DEFAULT_SEEDS = 500;

    @Test
    void everySeedKeepsEveryInvariant() throws Exception {
        SimScenario scenario = SimScenario.fromSystemProperty();
        String replay = System.getProperty("sim.seed", "");
        if (!replay.isBlank()) {
            SimulationResult r = SimulationRun.run(Long.parseLong(replay.trim()), scenario, System.out);
            System.out.println(r.summary() + " trace-hash=" + Long.toHexString(r.traceHash()));
            assertThat(r.passed()).as(r.passed() ? "" : r.report()).isTrue();
            return;
        }
        long first = Long.getLong("sim.firstSeed", 1);
        int count = Integer.getInteger("sim.seeds", DEFAULT_SEEDS);
        long started = System.nanoTime();
        List<SimulationResult> results = sweep(scenario, first, count);
        long millis = (System.nanoTime() - started) / 1_000_000;
        List<SimulationResult> known = results.stream().filter(KnownCoreBugs::explains).toList();
        List<SimulationResult> failed = results.stream().filter(r -> !r.passed() && !KnownCoreBugs.explains(r)).toList();
        failed.forEach(r -> {
            System.out.println(r.report());
            writeHistory(r);
        });
        System.out.printf("simulation sweep (%s): %d seeds from %d, %d passed, %d failed, %d known core bug, in %d ms%n",
                scenario, count, first, count - failed.size() - known.size(), failed.size(), known.size(), millis);
        SweepStatistics.of(results).print(System.out);
        reportKnown(known, results);
        assertThat(failed).as("failing seeds (replay each with -Dsim.seed=N): %s",
                failed.stream().map(SimulationResult::seed).toList()).isEmpty();
    }

    /** Runs seeds on every core; each run is independent and deterministic, so order does not matter. */
    static List<SimulationResult> sweep(SimScenario scenario, long first, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
        try {
            List<Future<SimulationResult>> futures = new ArrayList<>();
            for (long seed = first; seed < first + count; seed++) {
                long s = seed;
                futures.add(pool.submit(() -> SimulationRun.run(s, scenario, null)));
            }
            List<SimulationResult> results = new ArrayList<>();
            for (Future<SimulationResult> f : futures) {
                results.add(f.get());
            }
            results.sort(Comparator.comparingLong(SimulationResult::seed));
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void reportKnown(List<SimulationResult> known, List<SimulationResult> results) {
        for (SimulationResult r : known) {
            System.out.println("KNOWN CORE BUG, seed " + r.seed() + ": " + KnownCoreBugs.seeds().get(r.seed()).description() + "\n  "
                    + r.violations().get(0) + "\n  replay: " + r.replayCommand());
        }
        results.stream().filter(r -> r.passed() && KnownCoreBugs.seeds().containsKey(r.seed()) && r.scenario() == SimScenario.STANDARD)
                .forEach(r -> System.out.println("seed " + r.seed() + " listed in KnownCoreBugs passes now: the bug may be fixed;"
                        + " remove it from KnownCoreBugs, and the @Disabled from the test that replays it"));
    }

    private static void writeHistory(SimulationResult r) {
        try {
            Path dir = Path.of("target", "sim-failures");
            Files.createDirectories(dir);
            Files.write(dir.resolve("seed-" + r.seed() + ".history"), r.historyLines());
        } catch (IOException e) {
            System.out.println("could not write the history of seed " + r.seed() + ": " + e);
        }
    }
}
