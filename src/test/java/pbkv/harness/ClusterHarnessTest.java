package pbkv.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import pbkv.link.LinkMode;

/**
 * The harness against {@link FakeNode} processes: real processes, real proxies, no product needed.
 * {@code /peer/X} on a node makes it call X through the link it was configured with, so these tests
 * see exactly what the product's replication traffic will see.
 */
@Timeout(120)
class ClusterHarnessTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private final KvClient http = new KvClient().withTimeout(Duration.ofSeconds(5));

    @Test
    void startsEveryNodeInItsOwnDirectoryWithItsOwnLog(TestInfo test) throws Exception {
        try (ClusterHarness cluster = fakeCluster(test).start()) {
            assertThat(cluster.nodeIds()).containsExactly("primary", "backup", "witness");
            assertThat(cluster.primaryId()).contains("primary");
            assertThat(cluster.awaitSettled(WAIT)).isEqualTo("primary");
            assertThat(cluster.health("backup").orElseThrow().role()).isEqualTo(NodeRole.BACKUP);
            assertThat(cluster.health("witness").orElseThrow().role()).isEqualTo(NodeRole.WITNESS);
            for (String id : cluster.nodeIds()) {
                NodeProcess node = cluster.node(id);
                assertThat(node.port()).isLessThan(PortPicker.ephemeralRangeStart());
                Path cwd = Path.of(call(cluster, id, "/cwd").body());
                assertThat(cwd.getFileName()).hasToString(id);
                assertThat(cwd.getParent().getParent().getFileName()).hasToString("it-data");
                assertThat(Files.readString(node.logFile())).contains("FakeNode " + id + " listening");
                assertThat(node.logFile().getParent()).isEqualTo(cluster.logDir());
            }
            assertThat(cluster.node("primary").command()).contains("--cluster.members[1].id=backup",
                    "--cluster.members[2].witness=true", "--heartbeat.interval=100ms",
                    "--cluster.members[1].url=http://127.0.0.1:" + cluster.node("backup").port(),
                    "--cluster.members[1].via=http://127.0.0.1:" + cluster.link("primary", "backup").port(),
                    "--cluster.members[0].url=http://127.0.0.1:" + cluster.node("primary").port());
        }
    }

    @Test
    void propertiesForAllNodesAndForOneNodeOverrideDefaultsOnce(TestInfo test) {
        try (ClusterHarness cluster = fakeCluster(test).backups(2).witness(false)
                .property("failure.timeout", "3s").nodeProperty("backup2", "failure.timeout", "5s").build()) {
            assertThat(cluster.nodeIds()).containsExactly("primary", "backup", "backup2");
            assertThat(cluster.node("backup").command()).contains("--failure.timeout=3s")
                    .doesNotContain("--failure.timeout=1s");
            assertThat(cluster.node("backup2").command()).contains("--failure.timeout=5s")
                    .doesNotContain("--failure.timeout=3s");
        }
    }

    @Test
    void cutIsDirected(TestInfo test) throws Exception {
        try (ClusterHarness cluster = fakeCluster(test).start()) {
            assertThat(peer(cluster, "primary", "backup")).isEqualTo(200);

            cluster.cut("primary", "backup");
            assertThat(peer(cluster, "primary", "backup")).isEqualTo(502);
            assertThat(peer(cluster, "backup", "primary")).isEqualTo(200);
            assertThat(peer(cluster, "primary", "witness")).isEqualTo(200);

            cluster.heal();
            assertThat(peer(cluster, "primary", "backup")).isEqualTo(200);
        }
    }

    @Test
    void isolateCutsEveryLinkOfOneNodeOnly(TestInfo test) throws Exception {
        try (ClusterHarness cluster = fakeCluster(test).start()) {
            cluster.isolate("witness");
            assertThat(peer(cluster, "witness", "primary")).isEqualTo(502);
            assertThat(peer(cluster, "backup", "witness")).isEqualTo(502);
            assertThat(peer(cluster, "primary", "backup")).isEqualTo(200);
            assertThat(cluster.health("witness")).isPresent(); // clients still reach it directly
        }
    }

    @Test
    void lossyAndDelayedLinksSlowDownOrTimeOut(TestInfo test) throws Exception {
        try (ClusterHarness cluster = fakeCluster(test).start()) {
            cluster.lossy("primary", "backup", 1.0);
            assertThat(peer(cluster, "primary", "backup")).isEqualTo(502); // FakeNode gives up after 1 s

            cluster.delay("primary", "backup", Duration.ofMillis(300));
            long start = System.nanoTime();
            assertThat(peer(cluster, "primary", "backup")).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        }
    }

    @Test
    void pauseFreezesAndResumeThaws(TestInfo test) {
        try (ClusterHarness cluster = fakeCluster(test).start()) {
            cluster.pause("backup");
            assertThat(cluster.node("backup").isPaused()).isTrue();
            assertThat(cluster.health("backup")).isEmpty();
            assertThat(cluster.primaryId()).contains("primary");

            cluster.resume("backup");
            assertThat(cluster.awaitRole("backup", NodeRole.BACKUP, WAIT).epoch()).isEqualTo(1);
        }
    }

    @Test
    void restartKeepsTheDataDirectoryAndAppendsToTheLog(TestInfo test) throws Exception {
        try (ClusterHarness cluster = fakeCluster(test).start()) {
            long firstPid = cluster.node("backup").pid();
            cluster.kill("backup");
            assertThat(cluster.node("backup").isAlive()).isFalse();
            assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();
            assertThat(cluster.health("backup")).isEmpty();

            cluster.restart("backup");
            // FakeNode's epoch counts its starts in the data dir: 2 means the dir survived
            assertThat(cluster.awaitHealth("backup", h -> h.epoch() == 2, WAIT).role()).isEqualTo(NodeRole.BACKUP);
            assertThat(Files.readString(cluster.node("backup").logFile()))
                    .containsSubsequence("start #1:", "killed (SIGKILL)", "start #2:",
                            "listening on " + cluster.node("backup").port() + ", start #2");
        }
    }

    @Test
    void startOnlySomeMembersThenCrashEveryNodeAndStartThemInOrder(TestInfo test) {
        try (ClusterHarness cluster = fakeCluster(test).build().startOnly(List.of("witness", "primary"), WAIT)) {
            assertThat(cluster.node("backup").isAlive()).isFalse();
            assertThat(cluster.health("primary")).isPresent();

            cluster.crashEveryNode();
            assertThat(cluster.nodeIds()).noneMatch(id -> cluster.node(id).isAlive());

            cluster.startInOrder(List.of("backup", "witness", "primary"), WAIT);
            // each node started once the one before it answered: at the return the first two answer
            assertThat(cluster.health("backup")).isPresent();
            assertThat(cluster.health("witness")).isPresent();
            assertThat(cluster.awaitPrimary(WAIT)).isEqualTo("primary");
            // FakeNode's epoch counts its starts: 2 for those started before the crash, 1 for the backup
            assertThat(cluster.health("witness").orElseThrow().epoch()).isEqualTo(2);
            assertThat(cluster.health("backup").orElseThrow().epoch()).isEqualTo(1);
        }
    }

    @Test
    void primaryIdPrefersTheHighestEpochAndAwaitFailuresDescribeTheCluster(TestInfo test) throws Exception {
        try (ClusterHarness cluster = fakeCluster(test).start()) {
            URI fakeRole = URI.create(cluster.node("backup").baseUrl() + "/fake/role");
            assertThat(http.send("PUT", fakeRole, "PRIMARY 7", Map.of()).status()).isEqualTo(200);
            assertThat(cluster.awaitPrimary(WAIT)).isEqualTo("backup");
            assertThatThrownBy(() -> cluster.awaitSettled(Duration.ofMillis(300)))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("settled"); // two primaries
            assertThat(cluster.awaitRole("backup", NodeRole.PRIMARY, WAIT).epoch()).isEqualTo(7);

            assertThatThrownBy(() -> cluster.awaitRole("witness", NodeRole.PRIMARY, Duration.ofMillis(500)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("health of witness")
                    .hasMessageContaining("seed " + cluster.seed())
                    .hasMessageContaining("FakeNode witness listening");
        }
    }

    @Test
    void clientFollowsRedirectsToTheRealPortNotThroughTheLink(TestInfo test) {
        try (ClusterHarness cluster = fakeCluster(test).start()) {
            cluster.cut("backup", "primary"); // must not matter: the client is not the backup
            KvResponse put = cluster.client().put(cluster.node("backup").baseUrl(), "k", "v");
            assertThat(put.status()).as("%s", put).isEqualTo(200);
            assertThat(put.uri().getPort()).isEqualTo(cluster.node("primary").port());
            assertThat(put.value()).isEqualTo("v");
            assertThat(put.version()).isEqualTo(1);

            KvResponse redirect = http.put(cluster.node("backup").baseUrl(), "k", "w");
            assertThat(redirect.status()).isEqualTo(307);
            assertThat(redirect.primaryHint()).contains("primary");
        }
    }

    @Test
    void startFailsFastAndCleansUpWhenANodeExits(TestInfo test) {
        ClusterHarness cluster = fakeCluster(test).nodeProperty("backup", "fake.exit-code", "3").build();
        long start = System.nanoTime();
        assertThatThrownBy(cluster::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited 3")
                .hasMessageContaining("exiting as asked");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(cluster.nodeIds()).allSatisfy(id -> assertThat(cluster.node(id).isAlive()).isFalse());
    }

    @Test
    void closeKillsEveryNodeAndProxyEvenWhenPaused(TestInfo test) {
        List<ProcessHandle> processes = new ArrayList<>();
        ClusterHarness cluster = fakeCluster(test).start();
        try (cluster) {
            cluster.nodeIds().forEach(id -> processes.add(ProcessHandle.of(cluster.node(id).pid()).orElseThrow()));
            cluster.pause("witness");
            cluster.cut("primary", "backup");
        }
        assertThat(processes).noneMatch(ProcessHandle::isAlive);
        assertThat(cluster.link("primary", "backup").mode()).isInstanceOf(LinkMode.Closed.class);
        cluster.close(); // idempotent
    }

    private int peer(ClusterHarness cluster, String from, String to) {
        return call(cluster, from, "/peer/" + to).status();
    }

    private KvResponse call(ClusterHarness cluster, String id, String path) {
        return http.send("GET", URI.create(cluster.node(id).baseUrl() + path), null, Map.of());
    }

    static ClusterBuilder fakeCluster(TestInfo test) {
        return ClusterHarness.builder(test).launchCommand(fakeNodeCommand()).startupTimeout(Duration.ofSeconds(30));
    }

    static List<String> fakeNodeCommand() {
        try {
            Path classes = Path.of(FakeNode.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m",
                    "-cp", classes.toString(), FakeNode.class.getName());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
