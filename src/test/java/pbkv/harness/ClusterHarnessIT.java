package pbkv.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * The harness against the real product jar (failsafe, after {@code package}): a write on the primary
 * reaches the backup, and when the primary is SIGKILLed the backup takes over in a higher epoch
 * with the write intact. Node logs: {@code target/it-logs/ClusterHarnessIT.<method>/}.
 */
@Timeout(180)
class ClusterHarnessIT {

    private static final Duration REPLICATION = Duration.ofSeconds(10);
    private static final Duration FAILOVER = Duration.ofSeconds(20);

    @Test
    void replicatesToTheBackupAndFailsOverWhenThePrimaryIsKilled(TestInfo test) {
        try (ClusterHarness cluster = ClusterHarness.builder(test).start()) {
            // the backup must be in sync when the write is acknowledged for it to survive the failover
            assertThat(cluster.awaitSettled(REPLICATION)).isEqualTo("primary");
            KvClient kv = cluster.client();
            String primaryUrl = cluster.node("primary").baseUrl();
            String backupUrl = cluster.node("backup").baseUrl();

            KvResponse put = kv.put(primaryUrl, "greeting", "hello");
            assertThat(put.status()).as("%s", put).isEqualTo(200);
            long version = put.version();

            await("write visible on the backup").atMost(REPLICATION).untilAsserted(() -> {
                KvResponse local = kv.getLocal(backupUrl, "greeting");
                assertThat(local.status()).as("%s", local).isEqualTo(200);
                assertThat(local.value()).isEqualTo("hello");
                assertThat(local.version()).isEqualTo(version);
            });

            long epochBefore = cluster.health("primary").orElseThrow().epoch();
            cluster.kill("primary");

            NodeHealth promoted = cluster.awaitHealth("backup",
                    health -> health.is(NodeRole.PRIMARY) && health.epoch() > epochBefore, FAILOVER);
            assertThat(promoted.epoch()).isGreaterThan(epochBefore);
            assertThat(cluster.primaryId()).contains("backup");

            await("acknowledged write served by the new primary").atMost(REPLICATION).untilAsserted(() -> {
                KvResponse read = kv.get(backupUrl, "greeting");
                assertThat(read.status()).as("%s", read).isEqualTo(200);
                assertThat(read.value()).isEqualTo("hello");
            });
        }
    }
}
