package pbkv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sweep has teeth: in the modes the design documents as unsafe, the same world, monitor and
 * checker must find lost acknowledged writes or a split brain on some seeds. If these pass
 * silently with zero findings, a green sweep proves nothing.
 */
class UnsafeModesTest {

    @Test
    void asyncReplicationLosesAcknowledgedWritesWhenThePrimaryCrashes() throws Exception {
        List<SimulationResult> results = SimulationSweepTest.sweep(SimScenario.ASYNC_PRIMARY_CRASHES, 1, 40);
        List<SimulationResult> lost = results.stream().filter(r -> r.violations().stream().anyMatch(v -> v.contains("acknowledged write")
                || v.contains("two acknowledged writes at index") || v.contains("NOT linearizable"))).toList();
        print("async, primary crashes", results, lost);
        assertThat(lost).as("async mode must lose acknowledged writes on some seeds").isNotEmpty();
        assertThat(results).as("failures must be lost writes, not a replica crashing")
                .allSatisfy(r -> assertThat(r.violations()).noneMatch(v -> v.contains(" threw ")));
    }

    @Test
    void unsafeTwoNodeModeSplitsTheBrainUnderPartitions() throws Exception {
        List<SimulationResult> results = SimulationSweepTest.sweep(SimScenario.UNSAFE_TWO_NODE, 1, 20);
        List<SimulationResult> split = results.stream().filter(r -> r.violations().stream().anyMatch(v -> v.contains("two primaries")
                || v.contains("two nodes acknowledged") || v.contains("NOT linearizable"))).toList();
        print("unsafe two-node, partitions", results, split);
        assertThat(split).as("two nodes that promote on a timeout alone must split the brain on some seeds").isNotEmpty();
    }

    private static void print(String what, List<SimulationResult> results, List<SimulationResult> found) {
        System.out.printf("%s: %d of %d seeds unsafe, e.g. %s%n", what, found.size(), results.size(),
                found.isEmpty() ? "none" : "seed " + found.get(0).seed() + ": " + found.get(0).violations().get(0).lines().findFirst().orElse("")
                        + " (replay: " + found.get(0).replayCommand() + ")");
    }
}
