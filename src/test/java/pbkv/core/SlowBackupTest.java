package pbkv.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A backup that answers slowly (a loaded machine, a long batch) is not a failed backup: its late
 * acknowledgements count, so it stays in sync and writes commit at the pace of its answers.
 */
class SlowBackupTest {

    @Test
    void repliesSlowerThanTheResendIntervalStillCommitAndKeepTheBackupInSync() {
        SimulatedCluster c = SimulatedCluster.threeNodes(31);
        c.run(Duration.ofMillis(500));
        assertThat(c.node("primary").view(c.now()).inSync()).containsExactlyInAnyOrder("primary", "backup");
        long epoch = c.node("primary").epoch();

        // Every answer of the backup now takes 700 ms: longer than the primary waits before
        // sending a batch again (500 ms), shorter than replication.timeout (1 s).
        c.delay("backup", "primary", Duration.ofMillis(700));
        for (int i = 0; i < 5; i++) {
            CompletableFuture<Outcome> put = c.put("primary", "k" + i, "v" + i);
            assertThat(c.runUntil(put::isDone, Duration.ofSeconds(2))).as("write %d completes", i).isTrue();
            assertThat(put.join()).isInstanceOf(Outcome.Value.class);
        }

        assertThat(c.node("primary").epoch()).as("no in-sync change, no epoch change").isEqualTo(epoch);
        assertThat(c.node("primary").view(c.now()).inSync()).contains("backup");
        assertThat(c.node("backup").readLocal("k4").value()).isEqualTo("v4");
    }
}
