package pbkv.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Catch-up: incremental from the retained log, snapshot otherwise; duplicates and reorderings are harmless. */
class CatchUpTest {

    private static SimulatedCluster withRetention(long seed, int retention) {
        return new SimulatedCluster(seed, s -> s.withBatchLimits(16, s.maxBatchBytes()).withLogRetention(retention)
                .withSnapshotChunkEntries(7).withAllowUnsafeTwoNode(false), "primary", "backup", "witness*");
    }

    private static void writeMany(SimulatedCluster c, int from, int count) {
        List<CompletableFuture<Outcome>> writes = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            writes.add(c.put("primary", "k" + (i % 50), "v" + i));
        }
        c.run(Duration.ofMillis(500));
        writes.forEach(w -> assertThat(w.join()).isInstanceOf(Outcome.Value.class));
    }

    @Test
    void pausedBackupCatchesUpIncrementallyWhenThePrimaryStillHoldsTheLog() {
        SimulatedCluster c = withRetention(31, 10_000);
        c.run(Duration.ofMillis(500));
        writeMany(c, 0, 20);
        c.pause("backup");
        c.run(Duration.ofSeconds(2)); // dropped from the in-sync set
        writeMany(c, 20, 200);
        c.resume("backup");
        assertThat(c.runUntil(() -> c.node("backup").role() == Role.BACKUP
                && c.node("primary").view(c.now()).inSync().contains("backup"), Duration.ofSeconds(5))).isTrue();
        assertThat(c.node("primary").stats().snapshotsSent.get()).isZero();
        assertThat(c.node("backup").lastPosition()).isEqualTo(c.node("primary").lastPosition());
        assertThat(c.node("backup").readLocal("k19").value()).isEqualTo("v219");
    }

    @Test
    void silentBackupGetsProbesNotTheBatchAgainAndCatchesUpOnceItAnswers() {
        SimulatedCluster c = withRetention(34, 10_000);
        c.run(Duration.ofMillis(500));
        writeMany(c, 0, 20);
        c.pause("backup");
        c.run(Duration.ofSeconds(2)); // dropped from the in-sync set
        writeMany(c, 20, 100);
        long sentBefore = c.batchesSent("primary", "backup");
        c.run(Duration.ofSeconds(5));
        // Resent every resendAfter, each would wait in a paused backup's socket queue: at most the one already out.
        assertThat(c.batchesSent("primary", "backup") - sentBefore).as("batches sent to the silent backup in 5 s").isLessThanOrEqualTo(1);
        c.resume("backup");
        assertThat(c.runUntil(() -> c.node("primary").view(c.now()).inSync().contains("backup"), Duration.ofSeconds(5))).isTrue();
        assertThat(c.node("backup").lastPosition()).isEqualTo(c.node("primary").lastPosition());
        assertThat(c.node("primary").stats().snapshotsSent.get()).isZero();
    }

    @Test
    void noSnapshotIsBuiltForABackupThatIsDownAndOneIsSentOnceItAnswers() {
        SimulatedCluster c = withRetention(33, 50);
        c.run(Duration.ofMillis(500));
        c.pause("backup");
        c.run(Duration.ofSeconds(2));
        writeMany(c, 0, 300); // the primary's log no longer reaches back to the backup's position
        c.run(Duration.ofSeconds(3));
        assertThat(c.node("primary").stats().snapshotsSent.get()).as("nothing copied for a silent peer").isZero();
        c.resume("backup");
        assertThat(c.runUntil(() -> c.node("primary").view(c.now()).inSync().contains("backup"), Duration.ofSeconds(5))).isTrue();
        assertThat(c.node("primary").stats().snapshotsSent.get()).isEqualTo(1);
        assertThat(c.node("backup").readLocal("k7").value()).isEqualTo("v257");
    }

    @Test
    void backupBeyondTheRetainedLogGetsASnapshotInChunks() {
        SimulatedCluster c = withRetention(32, 50);
        c.run(Duration.ofMillis(500));
        c.pause("backup");
        c.run(Duration.ofSeconds(2));
        writeMany(c, 0, 300);
        c.resume("backup");
        assertThat(c.runUntil(() -> c.node("primary").view(c.now()).inSync().contains("backup")
                && c.node("backup").role() == Role.BACKUP, Duration.ofSeconds(5))).isTrue();
        assertThat(c.node("primary").stats().snapshotsSent.get()).isPositive();
        assertThat(c.node("backup").store().size()).isEqualTo(50);
        assertThat(c.node("backup").readLocal("k7").value()).isEqualTo("v257");
    }

    @Test
    void restartedEmptyBackupCatchesUpAndRejoinsWhileWritesContinue() {
        SimulatedCluster c = withRetention(33, 10_000);
        c.run(Duration.ofMillis(500));
        writeMany(c, 0, 100);
        c.crash("backup");
        c.restart("backup");
        assertThat(c.node("backup").role()).isEqualTo(Role.STALE);
        for (int round = 0; round < 10; round++) {
            writeMany(c, 100 + round * 10, 10);
        }
        assertThat(c.runUntil(() -> c.node("backup").role() == Role.BACKUP, Duration.ofSeconds(5))).isTrue();
        assertThat(c.node("backup").readLocal("k49").value()).isEqualTo("v199");
    }

    @Test
    void duplicatedAndReorderedReplicateMessagesAreHarmless() {
        for (long seed = 40; seed < 60; seed++) {
            SimulatedCluster c = withRetention(seed, 10_000);
            c.run(Duration.ofMillis(500));
            c.duplicateMessages(0.3);
            c.reorderMessages(true);
            List<CompletableFuture<Outcome>> writes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                writes.add(c.put("primary", "k" + (i % 10), "v" + i));
                if (i % 20 == 0) {
                    c.run(Duration.ofMillis(30));
                }
            }
            c.run(Duration.ofSeconds(3));
            for (int i = 190; i < 200; i++) {
                assertThat(c.node("backup").readLocal("k" + (i % 10)).value()).as("seed %d", seed).isEqualTo("v" + i);
            }
            assertThat(c.node("backup").lastPosition()).isEqualTo(c.node("primary").lastPosition());
            assertThat(writes).allSatisfy(w -> assertThat(w.join()).isInstanceOf(Outcome.Value.class));
        }
    }

    @Test
    void compareAndSetAppliesOnlyOnTheExpectedVersion() {
        SimulatedCluster c = withRetention(61, 1000);
        c.run(Duration.ofMillis(500));
        CompletableFuture<Outcome> first = c.put("primary", "k", "a");
        c.run(Duration.ofMillis(50));
        long version = ((Outcome.Value) first.join()).value().version();
        CompletableFuture<Outcome> stale = c.cas("primary", "k", "b", version + 100);
        CompletableFuture<Outcome> good = c.cas("primary", "k", "c", version);
        c.run(Duration.ofMillis(50));
        assertThat(stale.join()).isInstanceOf(Outcome.PreconditionFailed.class);
        assertThat(good.join()).isInstanceOf(Outcome.Value.class);
        assertThat(c.node("backup").readLocal("k").value()).isEqualTo("c");
    }
}
