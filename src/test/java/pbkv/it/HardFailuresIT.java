package pbkv.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import pbkv.harness.ClusterHarness;
import pbkv.harness.KvClient;
import pbkv.harness.KvResponse;
import pbkv.harness.NodeHealth;
import pbkv.harness.NodeRole;

/**
 * A crash during a burst of writes, a paused (zombie) primary, and a backup restarted empty in memory
 * mode; the sequential failures of the walkthrough run as {@code ScenarioIT} (sequential-failures).
 */
@Timeout(240)
class HardFailuresIT {

    static final Duration SETTLE = Duration.ofSeconds(60); // generous: a loaded 2-core box starts a JVM slowly

    @Test
    void inMemoryModeABackupRestartedEmptyIsNeverPromoted(TestInfo test) {
        try (ClusterHarness cluster = ClusterHarness.builder(test).property("storage.mode", "memory").start()) {
            cluster.awaitSettled(SETTLE);
            KvClient kv = new KvClient().withTimeout(Duration.ofSeconds(10));
            assertThat(kv.put(cluster.node("primary").baseUrl(), "k", "v").status()).isEqualTo(200);
            cluster.kill("backup");
            cluster.kill("primary");
            cluster.restart("backup"); // empty, and no primary to catch up from: stale
            cluster.awaitHealth("backup", h -> h.is(NodeRole.STALE), SETTLE);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
                    .until(() -> cluster.health("backup").map(h -> !h.is(NodeRole.PRIMARY)).orElse(true));
            KvResponse view = kv.send("GET", java.net.URI.create(cluster.node("backup").baseUrl() + "/cluster"), null, Map.of());
            assertThat(view.field("role")).isEqualTo("STALE");
            assertThat(view.field("unavailable")).contains("stale");
        }
    }

    @Test
    void everyWriteAcknowledgedDuringABurstSurvivesKillingThePrimary(TestInfo test) throws Exception {
        try (ClusterHarness cluster = ClusterHarness.builder(test).start()) {
            cluster.awaitSettled(SETTLE);
            String primary = cluster.node("primary").baseUrl();
            Map<String, Long> acknowledged = new ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService clients = Executors.newFixedThreadPool(8);
            List<java.util.concurrent.Future<?>> running = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                int client = c;
                running.add(clients.submit(() -> {
                    KvClient kv = new KvClient().withTimeout(Duration.ofSeconds(3));
                    for (int i = 0; !stop.get() && i < 100_000; i++) {
                        String key = "c" + client + "-" + i;
                        KvResponse r = kv.put(primary, key, "v" + i);
                        if (r.isOk()) {
                            acknowledged.put(key, r.version());
                        }
                    }
                }));
            }
            await().atMost(SETTLE).until(() -> acknowledged.size() > 300);
            cluster.kill("primary");
            int ackedAtKill = acknowledged.size();
            stop.set(true);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            for (var f : running) {
                f.get();
            }

            cluster.awaitRole("backup", NodeRole.PRIMARY, SETTLE);
            KvClient kv = new KvClient().withTimeout(Duration.ofSeconds(5));
            String backup = cluster.node("backup").baseUrl();
            assertThat(acknowledged.size()).isGreaterThanOrEqualTo(ackedAtKill);
            acknowledged.forEach((key, version) -> {
                KvResponse r = kv.get(backup, key);
                assertThat(r.status()).as("acknowledged %s lost: %s", key, r).isEqualTo(200);
                assertThat(r.version()).isEqualTo(version);
            });
        }
    }

    @Test
    void pausedPrimaryResumesStepsDownAndNeverAcknowledgesInItsOldEpoch(TestInfo test) {
        try (ClusterHarness cluster = ClusterHarness.builder(test).start()) {
            cluster.awaitSettled(SETTLE);
            KvClient kv = new KvClient().withTimeout(Duration.ofSeconds(5));
            String primary = cluster.node("primary").baseUrl();
            String backup = cluster.node("backup").baseUrl();
            assertThat(kv.put(primary, "k", "before-pause").status()).isEqualTo(200);
            long oldEpoch = cluster.health("primary").orElseThrow().epoch();

            cluster.pause("primary");
            NodeHealth promoted = cluster.awaitHealth("backup", h -> h.is(NodeRole.PRIMARY) && h.epoch() > oldEpoch, SETTLE);
            assertThat(kv.put(backup, "k", "new-epoch").status()).isEqualTo(200);

            cluster.resume("primary");
            // The zombie may still believe it is primary for a moment: whatever it answers, it
            // must not acknowledge a write (only a 307 to the new primary, or a 503).
            for (int i = 0; i < 20; i++) {
                KvResponse r = kv.put(primary, "zombie-" + i, "x");
                assertThat(r.status()).as("old primary answered %s", r).isNotEqualTo(200);
            }
            cluster.awaitHealth("primary", h -> !h.is(NodeRole.PRIMARY) && h.epoch() >= promoted.epoch(), SETTLE);
            assertThat(kv.get(backup, "k").value()).isEqualTo("new-epoch");
            for (int i = 0; i < 20; i++) {
                assertThat(kv.get(backup, "zombie-" + i).status()).isEqualTo(404);
            }
        }
    }
}
