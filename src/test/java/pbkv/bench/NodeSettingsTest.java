package pbkv.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeSettingsTest {

    private static final List<BenchCluster.Member> MEMBERS = List.of(new BenchCluster.Member("primary", false, 8000),
            new BenchCluster.Member("backup", false, 9001), new BenchCluster.Member("witness", true, 9003));

    private static NodeSettings withFlags(String... flags) {
        return new NodeSettings(Path.of("pbkv.jar"), List.of(flags), "sync", "100ms", "1s", null, List.of());
    }

    private static List<String> command(NodeSettings settings, String nodeId) {
        return settings.command(nodeId, 8000, Path.of("data"), "secret", MEMBERS);
    }

    @Test
    void onlyTheWitnessRunsWithC1Alone() {
        NodeSettings settings = withFlags("-XX:+UseSerialGC");

        assertThat(command(settings, "witness")).contains(NodeSettings.WITNESS_JIT_FLAG, "-XX:+UseSerialGC");
        assertThat(command(settings, "primary")).doesNotContain(NodeSettings.WITNESS_JIT_FLAG).contains("-XX:+UseSerialGC");
        assertThat(command(settings, "backup")).doesNotContain(NodeSettings.WITNESS_JIT_FLAG);
    }

    @Test
    void aTieredFlagOfTheUserReplacesTheWitnessDefault() {
        List<String> witness = command(withFlags("-XX:TieredStopAtLevel=4"), "witness");

        assertThat(witness).contains("-XX:TieredStopAtLevel=4").doesNotContain(NodeSettings.WITNESS_JIT_FLAG);
    }

    @Test
    void everyNodeExitsOnOutOfMemoryWhateverGcFlagsTheUserGives() {
        NodeSettings settings = withFlags("-XX:+UseParallelGC", "-Xmx1g");

        for (String node : List.of("primary", "backup", "witness")) {
            assertThat(command(settings, node)).contains("-XX:+ExitOnOutOfMemoryError");
        }
    }
}
