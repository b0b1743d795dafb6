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

    @Test
    void initialPrimaryRestartedBeforeAnyBackupJoinedKeepsEveryAcknowledgedWrite() {
        SimulatedCluster c = new SimulatedCluster(74, true, s -> s, "primary", "backup", "witness*");
        c.crash("backup"); // its machine is not up yet
        c.run(Duration.ofMillis(500));
        for (int i = 0; i < 20; i++) {
            assertThat(settle(c, c.put("primary", "k" + i, "v" + i))).isInstanceOf(Outcome.Value.class);
        }
        for (int restart = 0; restart < 2; restart++) {
            c.crash("primary");
            c.restart("primary");
            assertThat(c.node("primary").readLocal("k19").version()).isEqualTo(20);
            assertThat(c.runUntil(() -> c.primary().isPresent(), Duration.ofSeconds(5))).isTrue();
            Outcome next = settle(c, c.put("primary", "after-restart-" + restart, "x"));
            assertThat(((Outcome.Value) next).value().version()).as("versions continue, never handed out twice").isGreaterThan(20);
        }
        assertThat(((Outcome.Value) settle(c, c.get("primary", "k0"))).value().value()).isEqualTo("v0");
    }

    @Test
    void aNodeWhoseVoteSurvivedButWhoseDataWasDeletedIsStaleUntilCaughtUp() {
        SimulatedCluster c = new SimulatedCluster(75, true, s -> s, "primary", "backup", "witness*");
        c.run(Duration.ofMillis(500));
        assertThat(c.runUntil(() -> c.node("primary").view(c.now()).inSync().contains("backup"), Duration.ofSeconds(3))).isTrue();
        assertThat(settle(c, c.put("primary", "k", "v"))).isInstanceOf(Outcome.Value.class);
        c.crash("backup");
        c.wipeDisk("backup");
        c.crash("primary"); // nobody to catch up from: the data-less backup must wait, not campaign
        c.restart("backup");
        assertThat(c.node("backup").view(c.now()).dataIntact()).isFalse();
        c.run(Duration.ofSeconds(3));
        assertThat(c.node("backup").role()).isEqualTo(Role.STALE);
        c.restart("primary");
        assertThat(c.runUntil(() -> c.node("backup").role() == Role.BACKUP, Duration.ofSeconds(10))).isTrue();
        assertThat(c.node("backup").readLocal("k").value()).isEqualTo("v");
    }

    @Test
    void aPrimaryThatCannotPersistAcknowledgesNothingStepsDownAndRecoversOnceWritesSucceed() {
        SimulatedCluster c = new SimulatedCluster(76, true, s -> s, "primary", "backup", "witness*");
        assertThat(c.runUntil(() -> c.node("primary").view(c.now()).inSync().contains("backup"), Duration.ofSeconds(3))).isTrue();
        assertThat(settle(c, c.put("primary", "k", "persisted"))).isInstanceOf(Outcome.Value.class);

        c.disk("primary").failWrites(true);
        CompletableFuture<Outcome> failed = c.put("primary", "k", "never-persisted");
        assertThat(failed).isCompleted();
        assertThat(failed.join()).isInstanceOf(Outcome.Unavailable.class);
        assertThat(((Outcome.Unavailable) failed.join()).outcomeUnknown()).isTrue();
        ReplicaView sick = c.node("primary").view(c.now());
        assertThat(sick.role()).isNotEqualTo(Role.PRIMARY);
        assertThat(sick.storageFailure()).contains("no space left");
        assertThat(c.node("primary").readLocal("k").value()).as("memory holds only what the disk holds").isEqualTo("persisted");

        assertThat(c.runUntil(() -> c.primary().equals(java.util.Optional.of("backup")), Duration.ofSeconds(5))).isTrue();
        assertThat(c.node("primary").role()).isNotEqualTo(Role.PRIMARY); // it does not campaign while sick
        assertThat(((Outcome.Value) settle(c, c.get("backup", "k"))).value().value()).isEqualTo("persisted");

        c.disk("primary").failWrites(false);
        assertThat(settle(c, c.put("backup", "after", "x"))).isInstanceOf(Outcome.Value.class);
        assertThat(c.runUntil(() -> c.node("primary").view(c.now()).storageFailure() == null
                && c.node("backup").view(c.now()).inSync().contains("primary"), Duration.ofSeconds(10))).isTrue();
        assertThat(c.node("primary").readLocal("after").value()).isEqualTo("x");
    }

    @Test
    void aBackupThatCannotPersistAcknowledgesNothingAndIsDroppedUntilItsDiskWorksAgain() {
        SimulatedCluster c = new SimulatedCluster(77, true, s -> s, "primary", "backup", "witness*");
        assertThat(c.runUntil(() -> c.node("primary").view(c.now()).inSync().contains("backup"), Duration.ofSeconds(3))).isTrue();
        c.disk("backup").failWrites(true);
        java.util.concurrent.atomic.AtomicReference<java.util.Set<String>> inSyncWhenAcknowledged = new java.util.concurrent.atomic.AtomicReference<>();
        CompletableFuture<Outcome> write = c.put("primary", "k", "v");
        write.thenRun(() -> inSyncWhenAcknowledged.set(c.node("primary").view(c.now()).inSync()));
        // The primary drops the backup that cannot persist (with the witness's vote) and commits alone.
        assertThat(settle(c, write)).isInstanceOf(Outcome.Value.class);
        assertThat(inSyncWhenAcknowledged.get()).as("acknowledged only once the sick backup left the in-sync set").containsExactly("primary");
        assertThat(c.node("backup").readLocal("k")).as("nothing applied that is not on disk").isNull();
        assertThat(c.node("backup").view(c.now()).storageFailure()).isNotNull();

        c.disk("backup").failWrites(false);
        assertThat(c.runUntil(() -> c.node("primary").view(c.now()).inSync().contains("backup"), Duration.ofSeconds(10))).isTrue();
        assertThat(c.node("backup").view(c.now()).storageFailure()).isNull();
        assertThat(c.node("backup").readLocal("k").value()).isEqualTo("v");
    }

    @Test
    void afterEveryNodeCrashesTheNodeWhoseLogIsBehindIsNeverElected() {
        for (long seed = 80; seed < 90; seed++) {
            SimulatedCluster c = new SimulatedCluster(seed, true, s -> s, "primary", "b1", "b2");
            assertThat(c.runUntil(() -> c.node("primary").view(c.now()).inSync().containsAll(java.util.Set.of("b1", "b2")),
                    Duration.ofSeconds(5))).isTrue();
            assertThat(settle(c, c.put("primary", "k", "committed"))).isInstanceOf(Outcome.Value.class);
            c.cut("primary", "b1"); // b1 misses the next writes; b2 and the primary hold them
            c.put("primary", "k", "held-by-two");
            c.put("primary", "k2", "held-by-two");
            c.run(Duration.ofMillis(50));
            LogPosition behind = c.disk("b1").last();
            assertThat(c.disk("b2").last()).isGreaterThan(behind);
            for (String id : java.util.List.of("primary", "b1", "b2")) {
                c.crash(id);
            }
            c.heal();
            for (String id : java.util.List.of("b1", "primary", "b2")) {
                c.restart(id);
            }
            assertThat(c.runUntil(() -> c.primary().isPresent(), Duration.ofSeconds(10))).as("seed %d", seed).isTrue();
            assertThat(c.primary()).as("seed %d", seed).isNotEqualTo(java.util.Optional.of("b1"));
            assertThat(c.node(c.primary().orElseThrow()).lastPosition()).isGreaterThan(behind);
        }
    }

    @Test
    void aLonePrimaryWhoseDiskFailedTakesOverAgainOnceItsDiskWorks() {
        SimulatedCluster c = new SimulatedCluster(78, true, s -> s, "primary", "backup", "witness*");
        c.crash("backup"); // nobody else holds the data, and nobody will send the primary entries
        c.run(Duration.ofMillis(500));
        assertThat(settle(c, c.put("primary", "k", "persisted"))).isInstanceOf(Outcome.Value.class);
        c.disk("primary").failWrites(true);
        assertThat(settle(c, c.put("primary", "k", "lost"))).isInstanceOf(Outcome.Unavailable.class);
        c.run(Duration.ofSeconds(3));
        assertThat(c.primaries()).as("a node that cannot persist does not campaign").isEmpty();

        c.disk("primary").failWrites(false); // space freed: its probe finds out, with nothing to write
        assertThat(c.runUntil(() -> c.primary().equals(java.util.Optional.of("primary")), Duration.ofSeconds(5))).isTrue();
        assertThat(c.node("primary").view(c.now()).storageFailure()).isNull();
        assertThat(((Outcome.Value) settle(c, c.get("primary", "k"))).value().value()).isEqualTo("persisted");
    }
}
