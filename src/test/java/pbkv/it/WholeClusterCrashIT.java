package pbkv.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pbkv.check.CheckResult;
import pbkv.check.History;
import pbkv.check.LinearizabilityChecker;
import pbkv.check.OpType;
import pbkv.check.Operation;
import pbkv.check.Outcome;
import pbkv.check.PbkvHistoryFormat;
import pbkv.harness.ClusterBuilder;
import pbkv.harness.ClusterHarness;
import pbkv.harness.KvClient;
import pbkv.harness.KvResponse;
import pbkv.harness.NodeRole;
import pbkv.torture.AckedWriteCheck;
import pbkv.torture.HistoryRecorder;

/**
 * Disk mode must never lose an acknowledged write, even when every node loses power at once. A
 * primary, a backup and a witness take concurrent writes; all three are killed -9 mid-burst and
 * restarted in a given order, twice; the recorded history must be linearizable and every acknowledged
 * write must be read back (with its version) after each recovery. One cluster per restart order.
 */
@Timeout(150)
class WholeClusterCrashIT {

    static final Duration SETTLE = Duration.ofSeconds(60); // generous: a loaded 2-core box starts a JVM slowly
    static final int CRASH_AFTER_ACKNOWLEDGED = 150;
    static final int ROUNDS = 2;

    /** 54 node starts make up most of this class's time: a quicker launch when the JDK offers one. */
    private static Optional<List<String>> launch = Optional.empty();

    @BeforeAll
    static void quickerNodeStarts() {
        Path target = Path.of(System.getProperty("basedir", "."), "target");
        launch = ClassDataSharing.launchCommand(Path.of(System.getProperty("pbkv.jar", target.resolve("pbkv.jar").toString())),
                target.resolve("it-cds").toAbsolutePath());
        System.out.println("whole-cluster-crash node launch: " + launch.map(c -> String.join(" ", c)).orElse("default"));
    }

    static Stream<List<String>> restartOrders() {
        return Stream.of(List.of("primary", "backup", "witness"), List.of("primary", "witness", "backup"),
                List.of("backup", "primary", "witness"), List.of("backup", "witness", "primary"),
                List.of("witness", "primary", "backup"), List.of("witness", "backup", "primary"));
    }

    @ParameterizedTest(name = "restart order {0}")
    @MethodSource("restartOrders")
    void crashingEveryNodeMidBurstTwiceLosesNoAcknowledgedWriteWhateverTheRestartOrder(List<String> order,
                                                                                        TestInfo test) throws Exception {
        HistoryRecorder recorder = new HistoryRecorder();
        TreeSet<String> keys = new TreeSet<>();
        List<String> toPrimary = new ArrayList<>(); // from the last node's start, and from the crash
        Map<String, Operation> lastReads = Map.of();
        String failure = null;
        long started = System.nanoTime();
        try (ClusterHarness cluster = builder(test).start()) {
            try {
                String primary = cluster.awaitSettled(SETTLE);
                for (int round = 1; round <= ROUNDS; round++) {
                    WriteBurst burst = new WriteBurst(cluster, recorder, round, order.hashCode() + round);
                    burst.start(primary);
                    await("burst " + round + ": " + CRASH_AFTER_ACKNOWLEDGED + " acknowledged writes").atMost(SETTLE)
                            .until(() -> burst.acknowledged() >= CRASH_AFTER_ACKNOWLEDGED || !burst.running());
                    boolean midBurst = burst.running();
                    cluster.crashEveryNode();
                    long crashed = System.nanoTime();
                    burst.stop();
                    assertThat(midBurst).as("burst %d was still running when every node crashed", round).isTrue();
                    keys.addAll(burst.keys());

                    cluster.startInOrder(order, SETTLE);
                    long lastStarted = System.nanoTime();
                    primary = cluster.awaitPrimary(SETTLE);
                    toPrimary.add(String.format("%.1f s (%.1f s after the crash)", (System.nanoTime() - lastStarted) / 1e9,
                            (System.nanoTime() - crashed) / 1e9));
                    cluster.awaitSettled(SETTLE);
                    lastReads = ReadBack.readEveryKey(cluster, primary, List.copyOf(keys), recorder, "read" + round);
                    assertThat(lastReads.keySet()).as("keys read back after round %d", round).hasSameSizeAs(keys);
                }
            } catch (AssertionError | RuntimeException e) {
                failure = e.getMessage().lines().findFirst().orElse("");
                throw e;
            } finally {
                System.out.printf("whole-cluster-crash order=%s acknowledged=%d indeterminate=%d failed=%d"
                                + " primary-after-last-restart=%s elapsed=%.0f s%s%n", String.join(",", order),
                        recorder.ok(), recorder.unknown(), recorder.fail(), toPrimary,
                        (System.nanoTime() - started) / 1e9, failure == null ? "" : " FAILED: " + failure);
                recorder.write(cluster.logDir().resolve("history.pbkv"), List.of("restart order " + order));
            }
            assertNoAcknowledgedWriteLost(cluster.logDir().resolve("history.pbkv"), lastReads);
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
     * The same writes, then a power cut: the witness and the backup, which never held the writes, come
     * back first. They are a majority, but the backup must not be elected; the primary, when it returns,
     * must be, with all 20 writes, and the backup must catch up from it.
     */
    @Test
    void aBackupThatNeverHeldTheWritesIsNotElectedWhenItComesBackBeforeThePrimary(TestInfo test) {
        try (ClusterHarness cluster = builder(test).build().startOnly(List.of("witness", "primary"), SETTLE)) {
            cluster.awaitRole("primary", NodeRole.PRIMARY, SETTLE);
            KvClient kv = new KvClient().withTimeout(Duration.ofSeconds(5));
            String primary = cluster.node("primary").baseUrl();
            Map<String, Long> acknowledged = writeTwenty(kv, primary);

            cluster.crashEveryNode();
            cluster.startInOrder(List.of("witness", "backup"), SETTLE);
            cluster.awaitHealth("backup", h -> true, SETTLE);
            // Well past failure.timeout: a majority is up, but only the primary holds the writes.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
                    .until(() -> cluster.health("backup").map(h -> !h.is(NodeRole.PRIMARY)).orElse(true));

            cluster.restart("primary");
            cluster.awaitRole("primary", NodeRole.PRIMARY, SETTLE);
            acknowledged.forEach((key, version) -> {
                KvResponse r = kv.get(primary, key);
                assertThat(r.status()).as("acknowledged %s lost: %s", key, r).isEqualTo(200);
                assertThat(r.version()).isEqualTo(version);
            });
            String backup = cluster.node("backup").baseUrl();
            await().atMost(SETTLE).until(() -> acknowledged.keySet().stream()
                    .allMatch(key -> kv.getLocal(backup, key).status() == 200));
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

    /** The checker over the whole history, and every acknowledged write accounted for in the last reads. */
    private static void assertNoAcknowledgedWriteLost(Path file, Map<String, Operation> lastReads) throws Exception {
        History history = PbkvHistoryFormat.parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        CheckResult checked = LinearizabilityChecker.check(history);
        assertThat(checked.linearizable()).as("%s: %s in %s", checked.verdict(), checked.violations().stream()
                .map(v -> String.join("\n    ", v.explain())).toList(), file).isTrue();
        assertThat(AckedWriteCheck.lostWrites(history.operations(), lastReads)).as("lost writes, %s", file).isEmpty();
        // A key of its own is written once: its last read must show the version the put was acknowledged with.
        List<String> wrongVersion = history.operations().stream()
                .filter(op -> op.type() == OpType.PUT && op.outcome() == Outcome.OK && op.key().startsWith("b"))
                .filter(op -> !java.util.Objects.equals(op.resultVersion(), lastReads.get(op.key()).resultVersion()))
                .map(op -> op.describe() + " read back as " + lastReads.get(op.key()).describe()).toList();
        assertThat(wrongVersion).as("acknowledged versions not read back, %s", file).isEmpty();
    }
}
