package pbkv.harness;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The shared launcher on a stand-in process (sh), no product jar needed. */
@Timeout(60)
class NodeProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private final KvClient client = new KvClient().withTimeout(Duration.ofSeconds(1));

    @TempDir
    Path dir;

    @Test
    void theLogShowsEachStartWithoutItsSecretsAndEachKill() throws Exception {
        NodeProcess node = process("n1", 1, "echo up; exec sleep 60", "--cluster.secret=hunter2",
                "--security.admin-password=hunter2", "--node.id=n1");
        node.start();
        await().atMost(WAIT).until(() -> Files.readString(node.logFile()).contains("up"));

        node.kill();

        assertThat(node.isAlive()).isFalse();
        assertThat(node.exitCode()).isPresent();
        assertThat(Files.readString(node.logFile()))
                .containsSubsequence("n1 start #1:", "--cluster.secret=***", "--security.admin-password=***",
                        "--node.id=n1", "up", "n1 killed (SIGKILL)")
                .doesNotContain("hunter2");
    }

    @Test
    void readinessGivesUpAsSoonAsTheProcessExits() throws Exception {
        NodeProcess node = process("n2", new PortPicker().reserveAndRelease(), "echo cannot start; exit 3");
        node.start();
        long start = System.nanoTime();

        assertThat(node.awaitHealthy(client, Duration.ofSeconds(30))).isFalse();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WAIT);
        assertThat(node.exitCode()).hasValue(3);
        assertThat(node.logTail(1)).isEqualTo("cannot start");
    }

    @Test
    void readinessWaitsForTheHealthEndpointToAnswerWithJson() throws Exception {
        WireMockServer health = new WireMockServer(options().dynamicPort());
        health.start();
        NodeProcess node = process("n3", health.port(), "exec sleep 60");
        try {
            node.start();
            health.stubFor(get("/actuator/health").willReturn(aResponse().withStatus(503)));
            assertThat(node.awaitHealthy(client, Duration.ofMillis(300))).isFalse();

            health.stubFor(get("/actuator/health").willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody("{\"status\":\"UP\"}")));
            assertThat(node.awaitHealthy(client, WAIT)).isTrue();
        } finally {
            node.kill();
            health.stop();
        }
    }

    /** {@code script} run by sh; {@code args} follow it on the command line, as a node's arguments would. */
    private NodeProcess process(String id, int port, String script, String... args) {
        List<String> command = new ArrayList<>(List.of("sh", "-c", script, "sh"));
        command.addAll(List.of(args));
        return new NodeProcess(id, port, command, dir.resolve(id), dir.resolve("logs").resolve(id + ".log"));
    }
}
