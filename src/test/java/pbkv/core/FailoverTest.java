package pbkv.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Failure detection and promotion, driven by a hand-advanced clock. */
class FailoverTest {

    private static Outcome value(java.util.concurrent.CompletableFuture<Outcome> f) {
        assertThat(f).isDone();
        return f.join();
    }

    @Test
    void backupJoinsTheInSyncSetAfterStartingUp() {
        SimulatedCluster c = SimulatedCluster.threeNodes(1);
        c.run(Duration.ofMillis(500));
        assertThat(c.node("primary").role()).isEqualTo(Role.PRIMARY);
        assertThat(c.node("backup").role()).isEqualTo(Role.BACKUP);
        assertThat(c.node("witness").role()).isEqualTo(Role.WITNESS);
        assertThat(c.node("primary").view(c.now()).inSync()).containsExactlyInAnyOrder("primary", "backup");
    }

    @Test
    void writeIsAcknowledgedOnlyAfterTheBackupHasIt() {
        SimulatedCluster c = SimulatedCluster.threeNodes(2);
        c.run(Duration.ofMillis(500));
        var put = c.put("primary", "k", "v1");
        assertThat(value(put)).isInstanceOf(Outcome.Value.class);
        assertThat(c.node("backup").readLocal("k").value()).isEqualTo("v1");
    }

    @Test
    void backupIsPromotedAfterThePrimaryIsSilentForTheFailureTimeout() {
        SimulatedCluster c = SimulatedCluster.threeNodes(3);
        c.run(Duration.ofMillis(500));
        value(c.put("primary", "k", "v1"));
        c.crash("primary");
        c.run(Duration.ofMillis(900));
        assertThat(c.node("backup").role()).isEqualTo(Role.BACKUP);
        assertThat(c.runUntil(() -> c.node("backup").role() == Role.PRIMARY, Duration.ofMillis(500))).isTrue();
        assertThat(c.node("backup").epoch()).isGreaterThan(2);
        Outcome read = value(c.get("backup", "k"));
        assertThat(((Outcome.Value) read).value().value()).isEqualTo("v1");
        assertThat(value(c.put("backup", "k", "v2"))).isInstanceOf(Outcome.Value.class);
    }

    @Test
    void noPromotionWhileThePrimaryIsAliveEvenIfTheBackupStopsHearingIt() {
        SimulatedCluster c = SimulatedCluster.threeNodes(4);
        c.run(Duration.ofMillis(500));
        long epoch = c.node("primary").epoch();
        c.cut("primary", "backup"); // the backup hears nothing, the witness still hears the primary
        c.run(Duration.ofSeconds(3));
        assertThat(c.primaries()).containsExactly("primary");
        // The backup was dropped from the in-sync set (primary + witness agreed); it never campaigned.
        assertThat(c.node("backup").role()).isIn(Role.BACKUP, Role.STALE);
        assertThat(c.node("primary").view(c.now()).inSync()).containsExactly("primary");
        assertThat(c.node("primary").epoch()).isEqualTo(epoch + 1);
    }

    @Test
    void twoNodesWithoutWitnessDoNotPromoteByDefault() {
        SimulatedCluster c = new SimulatedCluster(5, s -> s, "primary", "backup");
        c.run(Duration.ofMillis(500));
        assertThat(c.node("backup").role()).isEqualTo(Role.BACKUP);
        c.crash("primary");
        c.run(Duration.ofSeconds(5));
        assertThat(c.node("backup").role()).isNotEqualTo(Role.PRIMARY);
    }

    @Test
    void twoNodesWithUnsafeModePromoteOnTimeoutAlone() {
        SimulatedCluster c = new SimulatedCluster(6, s -> s.withAllowUnsafeTwoNode(true), "primary", "backup");
        c.run(Duration.ofMillis(500));
        c.crash("primary");
        assertThat(c.runUntil(() -> c.node("backup").role() == Role.PRIMARY, Duration.ofSeconds(3))).isTrue();
    }

    @Test
    void splitVotesBetweenTwoBackupsResolveToOnePrimary() {
        for (long seed = 10; seed < 30; seed++) {
            SimulatedCluster c = new SimulatedCluster(seed, s -> s, "primary", "backup", "backup2", "witness*");
            c.run(Duration.ofMillis(800));
            assertThat(c.node("primary").view(c.now()).inSync()).hasSize(3);
            c.crash("primary");
            boolean elected = c.runUntil(() -> c.primary().isPresent(), Duration.ofSeconds(10));
            if (!elected) {
                for (String id : java.util.List.of("backup", "backup2", "witness")) {
                    c.node(id).view(c.now()).recentEvents().forEach(e -> System.out.println(e.at() + " " + e.line()));
                }
            }
            assertThat(elected).as("seed %d elects a primary", seed).isTrue();
            c.run(Duration.ofSeconds(1));
            assertThat(c.primaries()).as("seed %d", seed).hasSize(1);
        }
    }

    @Test
    void restartedEmptyBackupIsNeverPromotedWhenThePrimaryDies() {
        SimulatedCluster c = SimulatedCluster.threeNodes(7);
        c.run(Duration.ofMillis(500));
        value(c.put("primary", "k", "v1"));
        c.crash("backup");
        c.restart("backup"); // memory mode: back without its data
        assertThat(c.node("backup").role()).isEqualTo(Role.STALE);
        c.crash("primary");
        c.run(Duration.ofSeconds(5));
        assertThat(c.node("backup").role()).isEqualTo(Role.STALE);
        assertThat(c.primaries()).isEmpty();
        assertThat(c.node("backup").view(c.now()).unavailableReason()).contains("stale");
    }

    @Test
    void backupRemovedFromTheInSyncSetIsRefusedWhenItCampaigns() {
        SimulatedCluster c = SimulatedCluster.threeNodes(8);
        c.run(Duration.ofMillis(500));
        c.crash("backup");
        var put = c.put("primary", "k", "v1"); // waits; the backup is dropped after replication.timeout
        c.run(Duration.ofSeconds(2));
        assertThat(value(put)).isInstanceOf(Outcome.Value.class);
        assertThat(c.node("primary").view(c.now()).inSync()).containsExactly("primary");
        c.crash("primary");
        c.resume("backup"); // comes back with its memory but outside the in-sync set
        c.run(Duration.ofSeconds(5));
        assertThat(c.primaries()).isEmpty();
        assertThat(c.node("backup").role()).isEqualTo(Role.STALE);
    }
}
