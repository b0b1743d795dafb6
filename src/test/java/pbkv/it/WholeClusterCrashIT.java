package pbkv.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pbkv.harness.ClusterBuilder;
import pbkv.harness.ClusterHarness;
import pbkv.harness.KvClient;
import pbkv.harness.KvResponse;
import pbkv.harness.NodeRole;

/**
 * Disk mode must never lose an acknowledged write, even when every node loses power at once. A
 * primary, a backup and a witness take concurrent writes; all three are killed -9 mid-burst and
 * restarted in a given order (the first order twice: a recovered cluster must crash as safely as a
 * new one, which does not depend on the order); the recorded history must be linearizable and every acknowledged
 * write must be read back (with its version) after each recovery. One cluster per restart order.
 */
@Timeout(150)
class WholeClusterCrashIT {

    static final Duration SETTLE = Duration.ofSeconds(60); // generous: a loaded 2-core box starts a JVM slowly
    static final int CRASH_AFTER_ACKNOWLEDGED = 150;

    /** Node starts make up most of this class's time: a quicker launch when the JDK offers one. */
    private static Optional<List<String>> launch = Optional.empty();

    @BeforeAll
    static void quickerNodeStarts() {
        Path target = Path.of(System.getProperty("basedir", "."), "target");
        launch = ClassDataSharing.launchCommand(Path.of(System.getProperty("pbkv.jar", target.resolve("pbkv.jar").toString())),
                target.resolve("it-cds").toAbsolutePath());
        System.out.println("whole-cluster-crash node launch: " + launch.map(c -> String.join(" ", c)).orElse("default"));
    }

    static Stream<Arguments> restartOrders() {
        return Stream.of(Arguments.of(List.of("primary", "backup", "witness"), 2), Arguments.of(List.of("primary", "witness", "backup"), 1),
                Arguments.of(List.of("backup", "primary", "witness"), 1), Arguments.of(List.of("backup", "witness", "primary"), 1),
                Arguments.of(List.of("witness", "primary", "backup"), 1), Arguments.of(List.of("witness", "backup", "primary"), 1));
    }

    @ParameterizedTest(name = "restart order {0}, {1} round(s)")
    @MethodSource("restartOrders")
    void crashingEveryNodeMidBurstLosesNoAcknowledgedWriteWhateverTheRestartOrder(List<String> order, int rounds,
                                                                                   TestInfo test) throws Exception {
        CrashRun run = new CrashRun(order);
        try (ClusterHarness cluster = builder(test).start()) {
            run.recordAndCheck(cluster.logDir().resolve("history.pbkv"), () -> {
                String primary = cluster.awaitSettled(SETTLE);
                for (int round = 1; round <= rounds; round++) {
                    primary = crashMidBurstAndRecover(cluster, run, round, primary, 300, burst -> { });
                }
                return null;
            });
        }
    }

    /**
     * A burst; once enough writes are acknowledged, {@code midway} (e.g. a node joins), then kill -9 every
     * node, restart them in the run's order, wait for a primary and a settled cluster, read every key back.
     */
    private static String crashMidBurstAndRecover(ClusterHarness cluster, CrashRun run, int round, String primary,
                                                  int opsPerClient, Consumer<WriteBurst> midway) throws Exception {
        WriteBurst burst = new WriteBurst(cluster, run.recorder, round, run.order.hashCode() + round, opsPerClient);
        burst.start(primary);
        awaitAcknowledged(burst, CRASH_AFTER_ACKNOWLEDGED);
        midway.accept(burst);
        boolean midBurst = burst.running();
        cluster.crashEveryNode();
        long crashed = System.nanoTime();
        burst.stop();
        assertThat(midBurst).as("burst %d was still running when every node crashed", round).isTrue();
        run.acknowledgedWrites += burst.acknowledged();
        run.keys.addAll(burst.keys());

        cluster.startInOrder(run.order, SETTLE);
        long lastStarted = System.nanoTime();
        String next = cluster.awaitPrimary(SETTLE);
        long now = System.nanoTime();
        run.toPrimary.add(String.format("%.1f s (%.1f s after the crash)", (now - lastStarted) / 1e9, (now - crashed) / 1e9));
        cluster.awaitSettled(SETTLE);
        run.lastReads = ReadBack.readEveryKey(cluster, next, List.copyOf(run.keys), run.recorder, "read" + round);
        assertThat(run.lastReads.keySet()).as("keys read back after round %d", round).hasSameSizeAs(run.keys);
        return next;
    }

    private static void awaitAcknowledged(WriteBurst burst, int count) {
        await(count + " acknowledged writes in the burst").atMost(SETTLE)
                .until(() -> burst.acknowledged() >= count || !burst.running());
    }

    /**
     * The backup starts for the first time mid-burst, catches up and joins the in-sync set while writes
     * are acknowledged; more are acknowledged with it in the set; then a power cut, and the witness and
     * the backup come back before the primary, so the backup may be elected: it must hold every one.
     */
    @Test
    void writesAcknowledgedWhileTheBackupCaughtUpSurviveAPowerCutWhenTheBackupComesBackFirst(TestInfo test)
            throws Exception {
        CrashRun run = new CrashRun(List.of("witness", "backup", "primary"));
        try (ClusterHarness cluster = builder(test).build().startOnly(List.of("witness", "primary"), SETTLE)) {
            run.recordAndCheck(cluster.logDir().resolve("history.pbkv"), () -> {
                cluster.awaitRole("primary", NodeRole.PRIMARY, SETTLE);
                return crashMidBurstAndRecover(cluster, run, 1, "primary", 2000, burst -> {
                    cluster.restart("backup"); // its first start
                    cluster.awaitRole("backup", NodeRole.BACKUP, SETTLE); // caught up, in the in-sync set
                    assertThat(burst.running()).as("the backup joined the in-sync set only once the burst was over, after"
                            + " %d writes acknowledged by the primary alone", burst.acknowledged()).isTrue();
                    awaitAcknowledged(burst, burst.acknowledged() + CRASH_AFTER_ACKNOWLEDGED);
                });
            });
        }
    }

    /**
     * The report: "start only witness and primary (the backup's machine is not up yet), write 20 keys (all
     * answered 200), kill -9 the primary and start it again: all 20 acknowledged writes must be there".
     */
    @Test
    void writesAcknowledgedBeforeTheBackupEverStartedSurviveThePrimaryCrashingTwice(TestInfo test) {
        try (ClusterHarness cluster = builder(test).build()
                .startOnly(List.of("witness", "primary"), SETTLE)) {
            cluster.awaitRole("primary", NodeRole.PRIMARY, SETTLE);
            KvClient kv = new KvClient().withTimeout(Duration.ofSeconds(5));
            String primary = cluster.node("primary").baseUrl();
            Map<String, Long> acknowledged = writeTwenty(kv, primary);
            for (int restart = 1; restart <= 2; restart++) {
                cluster.restart("primary"); // kill -9, then the same command and data dir
                cluster.awaitHealth("primary", h -> true, SETTLE);
                for (var write : acknowledged.entrySet()) { // what its disk gave back, before any election
                    KvResponse local = kv.getLocal(primary, write.getKey());
                    assertThat(local.status()).as("restart %d: %s on the primary's disk: %s", restart, write, local)
                            .isEqualTo(200);
                    assertThat(local.version()).isEqualTo(write.getValue());
                }
                cluster.awaitRole("primary", NodeRole.PRIMARY, SETTLE);
                acknowledged.forEach((key, version) -> {
                    KvResponse r = kv.get(primary, key);
                    assertThat(r.status()).as("acknowledged %s lost: %s", key, r).isEqualTo(200);
                    assertThat(r.version()).isEqualTo(version);
                });
            }
        }
    }

    /**
     * The backup dies and the primary goes on alone (it drops the backup from the in-sync set, with the
     * witness's vote), then a power cut: backup and witness come back first. The witness remembers from
     * its disk that only the primary holds every write, so the backup must not be elected.
     */
    @Test
    void aBackupDroppedFromTheInSyncSetIsNotElectedAfterAPowerCutWhenItComesBackBeforeThePrimary(TestInfo test) {
        try (ClusterHarness cluster = builder(test).start()) {
            cluster.awaitSettled(SETTLE);
            KvClient kv = new KvClient().withTimeout(Duration.ofSeconds(10));
            String primary = cluster.node("primary").baseUrl();
            cluster.kill("backup");
            Map<String, Long> acknowledged = writeTwenty(kv, primary);

            cluster.crashEveryNode();
            cluster.startInOrder(List.of("witness", "backup"), SETTLE);
            cluster.awaitHealth("backup", h -> true, SETTLE);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
                    .until(() -> cluster.health("backup").map(h -> !h.is(NodeRole.PRIMARY)).orElse(true));

            cluster.restart("primary");
            cluster.awaitRole("primary", NodeRole.PRIMARY, SETTLE);
            acknowledged.forEach((key, version) -> {
                KvResponse r = kv.get(primary, key);
                assertThat(r.status()).as("acknowledged %s lost: %s", key, r).isEqualTo(200);
                assertThat(r.version()).isEqualTo(version);
            });
        }
    }

    private static Map<String, Long> writeTwenty(KvClient kv, String primary) {
        Map<String, Long> acknowledged = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            KvResponse r = kv.put(primary, "early-" + i, "v" + i);
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            acknowledged.put("early-" + i, r.version());
        }
        return acknowledged;
    }

    private static ClusterBuilder builder(TestInfo test) {
        ClusterBuilder builder = ClusterHarness.builder(test);
        launch.ifPresent(builder::launchCommand);
        return builder;
    }
}
