package pbkv.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import pbkv.harness.ClusterHarness;
import pbkv.harness.KvClient;
import pbkv.harness.KvResponse;
import pbkv.harness.NodeHealth;
import pbkv.harness.NodeRole;

/**
 * The README walkthrough's API details, run for real: primary, backup and witness as separate JVMs
 * on loopback ports, killed with SIGKILL and restarted; the backup failure runs as {@code ScenarioIT}
 * (backup-failure), with the checker's verdict. Node logs: target/it-logs/FailureScenariosIT.*.
 */
@Timeout(240)
class FailureScenariosIT {

    static final Duration SETTLE = Duration.ofSeconds(60); // generous: a loaded 2-core box starts a JVM slowly
    static final Duration FAILOVER = Duration.ofSeconds(30);

    @Test
    void setGetAndReplicationVisibleOnTheBackupWithRedirectsToThePrimary(TestInfo test) {
        try (ClusterHarness cluster = ClusterHarness.builder(test).start()) {
            cluster.awaitSettled(SETTLE);
            KvClient direct = new KvClient();
            String primary = cluster.node("primary").baseUrl();
            String backup = cluster.node("backup").baseUrl();

            KvResponse put = direct.put(primary, "greeting", "hello");
            assertThat(put.status()).as("%s", put).isEqualTo(200);
            assertThat(direct.get(primary, "greeting").value()).isEqualTo("hello");
            // In sync mode the backup has the write before the client's acknowledgement.
            KvResponse local = direct.getLocal(backup, "greeting");
            assertThat(local.status()).as("%s", local).isEqualTo(200);
            assertThat(local.version()).isEqualTo(put.version());
            assertThat(local.header("X-Node-Role")).contains("BACKUP");

            KvResponse redirected = direct.get(backup, "greeting");
            assertThat(redirected.status()).isEqualTo(307);
            assertThat(redirected.primaryHint()).contains("primary");
            assertThat(cluster.client().put(backup, "via-backup", "followed").status()).isEqualTo(200);

            KvResponse cas = direct.cas(primary, "greeting", put.version() + 1000, "nope");
            assertThat(cas.status()).isEqualTo(412);
            assertThat(direct.cas(primary, "greeting", put.version(), "hi").status()).isEqualTo(200);
            assertThat(direct.delete(primary, "greeting").status()).isEqualTo(200);
            assertThat(direct.get(primary, "greeting").status()).isEqualTo(404);

            // Group commit is observable: every batch sent to the backup is in a histogram of entries per batch.
            String metrics = direct.send("GET", URI.create(primary + "/actuator/prometheus"), null, Map.of()).body();
            assertThat(metrics).containsPattern("pbkv_replication_batch_entries_count\\{[^}]*\\} [1-9]");
        }
    }

    @Test
    void primaryFailsBackupIsPromotedAndTheOldPrimaryRejoinsAsBackup(TestInfo test) {
        try (ClusterHarness cluster = ClusterHarness.builder(test).start()) {
            cluster.awaitSettled(SETTLE);
            KvClient kv = new KvClient().withTimeout(Duration.ofSeconds(2));
            String primary = cluster.node("primary").baseUrl();
            String backup = cluster.node("backup").baseUrl();
            KvResponse before = kv.put(primary, "before", "kept");
            assertThat(before.status()).isEqualTo(200);
            long epoch = cluster.health("primary").orElseThrow().epoch();

            long killedAt = System.nanoTime();
            cluster.kill("primary");
            await("first acknowledged write on the new primary").atMost(FAILOVER).pollInterval(Duration.ofMillis(20))
                    .until(() -> kv.put(backup, "after", "new").isOk());
            long failoverMillis = (System.nanoTime() - killedAt) / 1_000_000;
            System.out.printf("failover: kill -9 of the primary to first acknowledged write: %d ms%n", failoverMillis);

            NodeHealth promoted = cluster.health("backup").orElseThrow();
            assertThat(promoted.role()).isEqualTo(NodeRole.PRIMARY);
            assertThat(promoted.epoch()).isGreaterThan(epoch);
            assertThat(kv.get(backup, "before").value()).isEqualTo("kept");

            cluster.restart("primary");
            NodeHealth rejoined = cluster.awaitHealth("primary",
                    h -> h.is(NodeRole.BACKUP) && "backup".equals(h.primary()), SETTLE);
            assertThat(rejoined.epoch()).isGreaterThanOrEqualTo(promoted.epoch());
            await().atMost(SETTLE).until(() -> "new".equals(kv.getLocal(primary, "after").value()));
            KvResponse redirected = kv.put(primary, "x", "y");
            assertThat(redirected.status()).isEqualTo(307);
            assertThat(redirected.primaryHint()).contains("backup");
        }
    }
}
