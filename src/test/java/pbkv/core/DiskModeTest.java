package pbkv.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Disk mode: restarted nodes keep their data, so the classic sequential failure loses nothing. */
class DiskModeTest {

    private static Outcome settle(SimulatedCluster c, CompletableFuture<Outcome> f) {
        c.runUntil(f::isDone, Duration.ofSeconds(5));
        return f.join();
    }

    @Test
    void sequentialFailuresLoseNoAcknowledgedWriteAndPromoteNoStaleNode() {
        SimulatedCluster c = new SimulatedCluster(71, true, s -> s, "primary", "backup", "witness*");
        c.run(Duration.ofMillis(500));
        assertThat(settle(c, c.put("primary", "k1", "on-both"))).isInstanceOf(Outcome.Value.class);
        c.crash("backup");
        // The primary goes on alone once primary + witness dropped the backup from the in-sync set.
        assertThat(settle(c, c.put("primary", "k2", "only-on-primary"))).isInstanceOf(Outcome.Value.class);
        c.crash("primary");
        c.restart("backup"); // back with its data, but outside the in-sync set: it must not be promoted
        c.run(Duration.ofSeconds(3));
        assertThat(c.primaries()).isEmpty();
        assertThat(c.node("backup").role()).isEqualTo(Role.STALE);
        c.restart("primary"); // back with its data: the only in-sync node is elected again
        assertThat(c.runUntil(() -> c.primary().isPresent(), Duration.ofSeconds(5))).isTrue();
        assertThat(c.primary()).contains("primary");
        Outcome read = settle(c, c.get("primary", "k2"));
        assertThat(((Outcome.Value) read).value().value()).isEqualTo("only-on-primary");
        assertThat(c.runUntil(() -> c.node("backup").role() == Role.BACKUP, Duration.ofSeconds(5))).isTrue();
        assertThat(c.node("backup").readLocal("k2").value()).isEqualTo("only-on-primary");
    }

    @Test
    void restartedBackupCatchesUpIncrementallyFromItsOwnLog() {
        SimulatedCluster c = new SimulatedCluster(72, true, s -> s, "primary", "backup", "witness*");
        c.run(Duration.ofMillis(500));
        for (int i = 0; i < 50; i++) {
            c.put("primary", "k" + i, "v" + i);
        }
        c.run(Duration.ofMillis(200));
        c.crash("backup");
        c.run(Duration.ofSeconds(2));
        for (int i = 50; i < 80; i++) {
            c.put("primary", "k" + i, "v" + i);
        }
        c.run(Duration.ofMillis(200));
        c.restart("backup");
        assertThat(c.node("backup").readLocal("k49").value()).isEqualTo("v49"); // recovered from its disk
        assertThat(c.runUntil(() -> c.node("primary").view(c.now()).inSync().contains("backup")
                && c.node("backup").role() == Role.BACKUP, Duration.ofSeconds(5))).isTrue();
        assertThat(c.node("primary").stats().snapshotsSent.get()).isZero();
        assertThat(c.node("backup").readLocal("k79").value()).isEqualTo("v79");
    }

    @Test
    void oldPrimaryRestartedWithAnUnacknowledgedTailDiscardsIt() {
        SimulatedCluster c = new SimulatedCluster(73, true, s -> s, "primary", "backup", "witness*");
        c.run(Duration.ofMillis(500));
        settle(c, c.put("primary", "k", "committed"));
        c.isolate("primary");
        CompletableFuture<Outcome> zombie = c.put("primary", "k", "never-acknowledged");
        assertThat(c.runUntil(() -> c.node("backup").role() == Role.PRIMARY, Duration.ofSeconds(3))).isTrue();
        c.crash("primary");
        c.heal();
        assertThat(settle(c, c.put("backup", "other", "x"))).isInstanceOf(Outcome.Value.class);
        c.restart("primary");
        assertThat(c.runUntil(() -> c.node("backup").view(c.now()).inSync().contains("primary")
                && c.node("primary").role() == Role.BACKUP, Duration.ofSeconds(5))).isTrue();
        assertThat(c.node("primary").readLocal("k").value()).isEqualTo("committed");
        assertThat(c.node("primary").readLocal("other").value()).isEqualTo("x");
        assertThat(zombie.isDone() && zombie.join() instanceof Outcome.Value).as("the zombie write was never acknowledged").isFalse();
    }
}
