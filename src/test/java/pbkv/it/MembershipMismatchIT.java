package pbkv.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import pbkv.harness.ClusterHarness;
import pbkv.harness.KvClient;
import pbkv.harness.KvResponse;
import pbkv.harness.NodeRole;

/**
 * A backup started with another member list (the witness listed as a data node, plus a fourth
 * member) counts a majority as 3 of 4 while the others count 2 of 3: if it could join, "never two
 * primaries" would no longer follow from majorities intersecting. Every peer message carries the
 * cluster fingerprint, so the nodes refuse each other: the misconfigured backup reports DOWN with
 * the reason, never joins the in-sync set and never becomes primary, while the primary, which the
 * witness agrees with, stays UP and goes on acknowledging writes.
 */
@Timeout(240)
class MembershipMismatchIT {

    private static final Duration SETTLE = Duration.ofSeconds(60);

    @Test
    void aBackupWithAnotherMemberListIsRefusedReportsDownAndNeverJoinsTheInSyncSet(TestInfo test) throws Exception {
        try (ClusterHarness cluster = ClusterHarness.builder(test)
                .nodeProperty("backup", "cluster.members[2].witness", "false")
                .nodeProperty("backup", "cluster.members[3].id", "extra")
                .nodeProperty("backup", "cluster.members[3].url", "http://127.0.0.1:1")
                .start()) {
            KvClient kv = new KvClient().withTimeout(Duration.ofSeconds(10));
            String primary = cluster.node("primary").baseUrl();
            String backup = cluster.node("backup").baseUrl();

            cluster.awaitHealth("backup", h -> "DOWN".equals(h.status()), SETTLE);
            for (int i = 0; i < 20; i++) {
                assertThat(kv.put(primary, "k" + i, "v" + i).status()).isEqualTo(200);
            }

            // Well past failure.timeout: the backup, hearing no primary it accepts, may campaign, but
            // every vote it asks for is refused, and the primary never takes it into its in-sync set.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() ->
                    cluster.health("backup").map(h -> !h.is(NodeRole.PRIMARY) && "DOWN".equals(h.status())).orElse(true)
                            && view(kv, primary).path("inSync").toString().equals("[\"primary\"]"));
            KvResponse primaryView = kv.send("GET", URI.create(primary + "/cluster"), null, Map.of());
            assertThat(primaryView.json().path("role").asString()).isEqualTo("PRIMARY");
            assertThat(primaryView.json().path("epoch").asLong()).isEqualTo(1);
            assertThat(primaryView.json().path("membership").path("problem").isNull()).isTrue();
            assertThat(primaryView.json().path("membership").path("differing").has("backup")).isTrue();
            assertThat(cluster.health("primary").orElseThrow().status()).isEqualTo("UP");

            KvResponse backupView = kv.send("GET", URI.create(backup + "/cluster"), null, Map.of());
            assertThat(backupView.json().path("membership").path("problem").asString())
                    .contains("cluster membership differs", "primary");
            assertThat(backupView.json().path("membership").path("fingerprint").asString())
                    .isNotEqualTo(primaryView.json().path("membership").path("fingerprint").asString());
            assertThat(kv.getLocal(backup, "k0").status()).isEqualTo(404);

            KvResponse metrics = kv.send("GET", URI.create(primary + "/actuator/prometheus"), null, Map.of());
            assertThat(metrics.body()).containsPattern("pbkv_membership_refusals_total\\{[^}]*\\} [1-9]");
            assertThat(Files.readString(cluster.node("backup").logFile())).contains("event=membership peer=primary");
            assertThat(Files.readString(cluster.node("primary").logFile())).contains("event=membership peer=backup");
        }
    }

    private static tools.jackson.databind.JsonNode view(KvClient kv, String node) {
        return kv.send("GET", URI.create(node + "/cluster"), null, Map.of()).json();
    }
}
