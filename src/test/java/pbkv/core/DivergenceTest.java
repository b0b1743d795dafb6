package pbkv.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A returning old primary records the entries its successor never had, and which it had acknowledged. */
class DivergenceTest {

    private static List<CompletableFuture<Outcome>> writeTo(SimulatedCluster c, String node, String prefix, int count) {
        List<CompletableFuture<Outcome>> writes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            writes.add(c.put(node, prefix + i, "v" + i));
        }
        return writes;
    }

    private static long acknowledged(List<CompletableFuture<Outcome>> writes) {
        return writes.stream().filter(w -> w.isDone() && !w.isCompletedExceptionally() && w.join() instanceof Outcome.Value).count();
    }

    /** Isolates the primary, lets the backup take over and write, then heals: the old primary installs a snapshot. */
    private static void failOverAndRejoin(SimulatedCluster c, List<CompletableFuture<Outcome>> isolatedWrites) {
        assertThat(c.runUntil(() -> c.node("backup").role() == Role.PRIMARY, Duration.ofSeconds(10))).isTrue();
        List<CompletableFuture<Outcome>> successorWrites = writeTo(c, "backup", "new", 3);
        c.run(Duration.ofMillis(500));
        assertThat(acknowledged(successorWrites)).isEqualTo(3);
        c.heal();
        assertThat(c.runUntil(() -> c.node("primary").role() == Role.BACKUP
                && c.node("primary").lastPosition().equals(c.node("backup").lastPosition()), Duration.ofSeconds(10))).isTrue();
        assertThat(isolatedWrites).isNotEmpty();
    }

    @Test
    void syncPrimaryCutOffDropsItsUnacknowledgedWritesAndRecordsThemAsNeverAcknowledged() {
        SimulatedCluster c = SimulatedCluster.threeNodes(71);
        c.run(Duration.ofMillis(500));
        assertThat(acknowledged(writeAndWait(c, "shared", 5))).isEqualTo(5);
        long epochBefore = c.node("primary").epoch();
        c.isolate("primary");
        List<CompletableFuture<Outcome>> isolated = writeTo(c, "primary", "lost", 4);
        failOverAndRejoin(c, isolated);

        DivergenceReport report = c.node("primary").divergence();
        assertThat(report.dropped()).isEqualTo(4);
        assertThat(report.acknowledged()).isZero();
        assertThat(report.entries()).extracting(DroppedEntry::key).containsExactly("lost0", "lost1", "lost2", "lost3");
        assertThat(report.entries()).allSatisfy(e -> {
            assertThat(e.acknowledged()).isFalse();
            assertThat(e.primary()).isEqualTo("backup");
            assertThat(e.epoch()).isEqualTo(epochBefore);
        });
        assertThat(acknowledged(isolated)).isZero();
        assertThat(c.node("backup").divergence().dropped()).isZero();
    }

    @Test
    void asyncPrimaryCutOffRecordsTheWritesItAcknowledgedThatTheNewPrimaryNeverHad() {
        SimulatedCluster c = new SimulatedCluster(72, s -> s.withMode(ReplicationMode.ASYNC), "primary", "backup", "witness*");
        c.run(Duration.ofMillis(500));
        writeAndWait(c, "shared", 5);
        c.isolate("primary");
        List<CompletableFuture<Outcome>> isolated = writeTo(c, "primary", "lost", 4);
        c.run(Duration.ofMillis(50));
        assertThat(acknowledged(isolated)).as("async: answered from the primary's own disk").isEqualTo(4);
        failOverAndRejoin(c, isolated);

        DivergenceReport report = c.node("primary").divergence();
        assertThat(report.dropped()).isEqualTo(4);
        assertThat(report.acknowledged()).isEqualTo(4);
        assertThat(report.entries()).allSatisfy(e -> assertThat(e.acknowledged()).isTrue());
        assertThat(c.node("primary").stats().divergentAcknowledged.get()).isEqualTo(4);
    }

    @Test
    void asyncPrimaryRestartedFromDiskStillKnowsItAcknowledgedTheEntriesOfTheEpochItLed() {
        SimulatedCluster c = new SimulatedCluster(73, true, s -> s.withMode(ReplicationMode.ASYNC), "primary", "backup", "witness*");
        c.run(Duration.ofMillis(500));
        writeAndWait(c, "shared", 5);
        c.isolate("primary");
        List<CompletableFuture<Outcome>> isolated = writeTo(c, "primary", "lost", 3);
        c.run(Duration.ofMillis(50));
        assertThat(acknowledged(isolated)).isEqualTo(3);
        c.crash("primary");
        assertThat(c.runUntil(() -> c.node("backup").role() == Role.PRIMARY, Duration.ofSeconds(10))).isTrue();
        writeTo(c, "backup", "new", 2);
        c.run(Duration.ofMillis(500));
        c.heal();
        c.restart("primary");
        assertThat(c.runUntil(() -> c.node("primary").role() == Role.BACKUP
                && c.node("primary").lastPosition().equals(c.node("backup").lastPosition()), Duration.ofSeconds(10))).isTrue();

        DivergenceReport report = c.node("primary").divergence();
        assertThat(report.entries()).extracting(DroppedEntry::key).containsExactly("lost0", "lost1", "lost2");
        assertThat(report.acknowledged()).isEqualTo(3);
    }

    @Test
    void unsafeTwoNodeSplitBrainHealsToOnePrimaryAndTheLoserRecordsTheAcknowledgedWritesItDropped() {
        SimulatedCluster c = new SimulatedCluster(75, s -> s.withAllowUnsafeTwoNode(true), "primary", "backup");
        c.run(Duration.ofMillis(500));
        writeAndWait(c, "shared", 3);
        c.cutBoth("primary", "backup");
        List<CompletableFuture<Outcome>> onPrimary = new ArrayList<>();
        List<CompletableFuture<Outcome>> onBackup = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            onPrimary.add(c.put("primary", "p" + i, "x"));
            onBackup.add(c.put("backup", "b" + i, "y"));
            c.run(Duration.ofMillis(100));
        }
        assertThat(c.primaries()).as("both sides lead, in different epochs").containsExactlyInAnyOrder("primary", "backup");
        assertThat(c.node("primary").epoch()).isNotEqualTo(c.node("backup").epoch());
        assertThat(acknowledged(onPrimary)).isPositive();
        assertThat(acknowledged(onBackup)).isPositive();

        String later = c.node("primary").epoch() > c.node("backup").epoch() ? "primary" : "backup";
        c.heal();
        assertThat(c.runUntil(() -> c.primaries().size() == 1
                && c.node("primary").lastPosition().equals(c.node("backup").lastPosition()), Duration.ofSeconds(10))).isTrue();
        String winner = c.primaries().get(0);
        String loser = winner.equals("primary") ? "backup" : "primary";
        assertThat(winner).as("the later promotion wins").isEqualTo(later);
        DivergenceReport report = c.node(loser).divergence();
        assertThat(report.acknowledged()).isEqualTo(acknowledged(loser.equals("primary") ? onPrimary : onBackup));
        assertThat(c.node(winner).divergence().dropped()).isZero();
        String prefix = loser.equals("primary") ? "p" : "b";
        assertThat(report.entries()).allSatisfy(e -> assertThat(e.key()).startsWith(prefix));
        for (int i = 0; i < 30; i++) {
            assertThat(c.node(loser).readLocal(prefix + i)).as("the loser's write %s%d is gone", prefix, i).isNull();
        }
    }

    @Test
    void backupThatWasOnlyBehindGetsASnapshotAndDropsNothing() {
        SimulatedCluster c = new SimulatedCluster(74, s -> s.withLogRetention(20), "primary", "backup", "witness*");
        c.run(Duration.ofMillis(500));
        writeAndWait(c, "a", 5);
        c.pause("backup");
        c.run(Duration.ofSeconds(2));
        writeAndWait(c, "b", 60);
        c.resume("backup");
        assertThat(c.runUntil(() -> c.node("primary").view(c.now()).inSync().contains("backup"), Duration.ofSeconds(10))).isTrue();
        assertThat(c.node("primary").stats().snapshotsSent.get()).isPositive();
        assertThat(c.node("backup").divergence().dropped()).isZero();
    }

    private static List<CompletableFuture<Outcome>> writeAndWait(SimulatedCluster c, String prefix, int count) {
        List<CompletableFuture<Outcome>> writes = writeTo(c, "primary", prefix, count);
        c.run(Duration.ofMillis(500));
        return writes;
    }
}
