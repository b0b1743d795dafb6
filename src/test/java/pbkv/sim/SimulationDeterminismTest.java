package pbkv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A seed must replay exactly, or a failing seed is worth nothing: the same seed gives the same
 * trace (every delivered message, fault, client operation and replica event, hashed), in this
 * JVM and in a fresh one.
 */
class SimulationDeterminismTest {

    /** A seed with failovers, catch-up and snapshots in it, so that the trace has something to differ in. */
    private static final long SEED = 1;
    /** Disk-mode seeds (every third is): a crash of every node and a power loss; a power loss during a disk write. */
    private static final long[] DISK_SEEDS = {12, 24};

    @Test
    void oneSeedRunTwiceGivesTheSameTrace() {
        SimulationResult first = SimulationRun.run(SEED, SimScenario.STANDARD, null);
        SimulationResult second = SimulationRun.run(SEED, SimScenario.STANDARD, null);
        assertThat(first.summary()).contains("promotions=").doesNotContain("promotions=0");
        assertThat(second.traceHash()).isEqualTo(first.traceHash());
        assertThat(second.traceLines()).isEqualTo(first.traceLines());
        assertThat(second.historyLines()).isEqualTo(first.historyLines());
        assertThat(SimulationRun.run(SEED + 1, SimScenario.STANDARD, null).traceHash())
                .as("the hash must tell runs apart").isNotEqualTo(first.traceHash());
    }

    @Test
    void aDiskModeSeedRunTwiceGivesTheSameTrace() {
        for (long seed : DISK_SEEDS) {
            SimulationResult first = SimulationRun.run(seed, SimScenario.STANDARD, null);
            SimulationResult second = SimulationRun.run(seed, SimScenario.STANDARD, null);
            assertThat(first.config()).contains("storage=disk");
            assertThat(second.traceHash()).as("seed %d", seed).isEqualTo(first.traceHash());
            assertThat(second.traceLines()).isEqualTo(first.traceLines());
            assertThat(second.historyLines()).isEqualTo(first.historyLines());
        }
    }

    @Test
    void aFreshJvmReplaysTheSameTrace() throws IOException, InterruptedException {
        SimulationResult here = SimulationRun.run(SEED, SimScenario.STANDARD, null);
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", classPath));
        String logging = System.getProperty("java.util.logging.config.file");
        if (logging != null) {
            command.add("-Djava.util.logging.config.file=" + logging); // the replicas' INFO lines would only slow it down
        }
        command.addAll(List.of(SimulationMain.class.getName(), Long.toString(SEED)));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (var in = child.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).as(output).contains("trace-hash=" + Long.toHexString(here.traceHash()) + " lines=" + here.traceLines());
    }
}
