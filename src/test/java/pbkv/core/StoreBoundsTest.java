package pbkv.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The memory bounds (kv.max-keys, kv.max-memory) and the bound on waiting operations: the primary
 * refuses what would take it past one before appending, so a refusal changes nothing and uses no
 * version; whatever does not grow the store always goes through; backups apply what was committed.
 */
class StoreBoundsTest {

    @Test
    void aNewKeyPastMaxKeysIsRefusedAndChangesNothingWhileOverwritesAndDeletesAtTheBoundSucceed() {
        SimulatedCluster c = new SimulatedCluster(81, s -> s.withStoreLimits(3, 1 << 20), "primary", "backup", "witness*");
        c.run(Duration.ofMillis(500));
        settle(c, c.put("primary", "a", "1"));
        settle(c, c.put("primary", "b", "1"));
        long last = version(settle(c, c.put("primary", "c", "1")));

        Outcome refused = settle(c, c.put("primary", "d", "1"));

        assertThat(refused).isInstanceOfSatisfying(Outcome.StoreFull.class, f -> {
            assertThat(f.limit()).isEqualTo("kv.max-keys");
            assertThat(f.bound()).isEqualTo(3);
            assertThat(f.reason()).contains("3 keys");
        });
        assertUnchanged(c, last, "d");
        assertThat(c.node("primary").stats().writesRejected.get()).isEqualTo(1);
        // At the bound: an overwrite and a delete go through, with the next versions, no gap.
        assertThat(settle(c, c.put("primary", "a", "2"))).isEqualTo(new Outcome.Value("a", new Versioned("2", last + 1)));
        assertThat(settle(c, c.writeAll("primary", List.of(ClientWrite.delete("b"))).get(0)))
                .isEqualTo(new Outcome.NotFound("b", true));
        assertThat(settle(c, c.put("primary", "d", "1"))).as("the delete made room")
                .isEqualTo(new Outcome.Value("d", new Versioned("1", last + 3)));
    }

    @Test
    void aPutPastMaxMemoryIsRefusedAndChangesNothingWhileOverwritesThatDoNotGrowAndDeletesSucceed() {
        // "k1" + "12345678" is 10 bytes; "é" is 2 bytes of UTF-8, as clients send it.
        SimulatedCluster c = new SimulatedCluster(82, s -> s.withStoreLimits(1000, 20), "primary", "backup", "witness*");
        c.run(Duration.ofMillis(500));
        settle(c, c.put("primary", "k1", "12345678"));
        long last = version(settle(c, c.put("primary", "k2", "123456é")));
        assertThat(c.node("primary").store().sizeBytes()).isEqualTo(20);

        Outcome newKey = settle(c, c.put("primary", "k3", "x"));
        Outcome growing = settle(c, c.put("primary", "k1", "123456789"));

        assertThat(List.of(newKey, growing)).allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(Outcome.StoreFull.class, f -> {
            assertThat(f.limit()).isEqualTo("kv.max-memory");
            assertThat(f.reason()).contains("kv.max-memory=20 bytes");
        }));
        assertUnchanged(c, last, "k3");
        assertThat(c.node("primary").readLocal("k1").value()).isEqualTo("12345678");
        assertThat(settle(c, c.put("primary", "k1", "abcdefgh"))).as("same size")
                .isEqualTo(new Outcome.Value("k1", new Versioned("abcdefgh", last + 1)));
        assertThat(settle(c, c.put("primary", "k2", "short"))).isEqualTo(new Outcome.Value("k2", new Versioned("short", last + 2)));
        assertThat(settle(c, c.writeAll("primary", List.of(ClientWrite.delete("k1"))).get(0)))
                .isEqualTo(new Outcome.NotFound("k1", true));
        assertThat(c.node("primary").store().sizeBytes()).isEqualTo(7);
        assertThat(c.node("backup").store().sizeBytes()).isEqualTo(7);
    }

    @Test
    void aBackupWithSmallerBoundsAppliesEverythingThePrimaryCommitted() {
        SimulatedCluster c = new SimulatedCluster(83, s -> s.nodeId().equals("backup") ? s.withStoreLimits(1, 4) : s,
                "primary", "backup", "witness*");
        c.run(Duration.ofMillis(500));

        Outcome first = settle(c, c.put("primary", "a", "value"));
        Outcome second = settle(c, c.put("primary", "b", "value"));

        assertThat(List.of(first, second)).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Value.class));
        assertThat(c.node("backup").store().size()).isEqualTo(2);
        assertThat(c.node("primary").view(c.now()).inSync()).contains("backup");
    }

    @Test
    void theByteCountSurvivesASnapshotCatchUpAndARestartFromDisk() {
        SimulatedCluster c = new SimulatedCluster(84, true, s -> tuned(s, 10_000, 10), "primary", "backup", "witness*");
        c.run(Duration.ofMillis(500));
        c.crash("backup");
        c.run(Duration.ofSeconds(2));
        for (int i = 0; i < 40; i++) {
            c.put("primary", "k" + i, "v".repeat(i));
        }
        c.run(Duration.ofMillis(200));
        c.restart("backup");
        assertThat(c.runUntil(() -> c.node("backup").role() == Role.BACKUP
                && c.node("primary").view(c.now()).inSync().contains("backup"), Duration.ofSeconds(5))).isTrue();
        assertThat(c.node("primary").stats().snapshotsSent.get()).as("caught up by snapshot").isPositive();
        settle(c, c.put("primary", "k0", "overwritten"));
        long bytes = c.node("primary").store().sizeBytes();
        assertThat(bytes).as("keys k0..k39, values of 0..39 bytes, k0's now 11").isEqualTo(10 * 2 + 30 * 3 + (39 * 40) / 2 + 11);
        assertThat(c.node("backup").store().sizeBytes()).isEqualTo(bytes);

        c.crash("backup");
        c.restart("backup"); // recovers the installed snapshot's keys and the entries after it

        assertThat(c.node("backup").store().sizeBytes()).isEqualTo(bytes);
    }

    @Test
    void aLinearizableReadIsRefusedWhileMaxPendingOperationsWaitAndCountsAsRejected() {
        SimulatedCluster c = new SimulatedCluster(85, s -> tuned(s, 2, s.logRetention()), "primary", "backup", "witness*");
        c.run(Duration.ofMillis(500));
        long version = version(settle(c, c.put("primary", "k", "committed")));
        c.cut("backup", "primary"); // hold the acknowledgements back; the witness keeps the lease alive
        List<CompletableFuture<Outcome>> waiting = List.of(c.put("primary", "a", "1"), c.put("primary", "b", "1"));

        CompletableFuture<Outcome> read = c.get("primary", "k");

        assertThat(read).isCompletedWithValueMatching(o -> o instanceof Outcome.Unavailable u && !u.outcomeUnknown()
                && u.reason().contains("too many operations waiting"));
        assertThat(c.node("primary").stats().readsRejected.get()).isEqualTo(1);
        assertThat(waiting).noneMatch(CompletableFuture::isDone);
        c.heal();
        assertThat(waiting).allSatisfy(w -> assertThat(settle(c, w)).isInstanceOf(Outcome.Value.class));
        assertThat(settle(c, c.get("primary", "k"))).isEqualTo(new Outcome.Value("k", new Versioned("committed", version)));
    }

    @Test
    void aWaitingReadTakesASlotOfMaxPendingOperations() {
        SimulatedCluster c = new SimulatedCluster(86, s -> tuned(s, 2, s.logRetention()), "primary", "backup", "witness*");
        c.run(Duration.ofMillis(500));
        c.cut("backup", "primary");
        CompletableFuture<Outcome> write = c.put("primary", "a", "1");
        CompletableFuture<Outcome> read = c.get("primary", "a");
        long last = c.node("primary").lastPosition().index();

        CompletableFuture<Outcome> refused = c.put("primary", "b", "1");

        assertThat(refused).isCompletedWithValueMatching(o -> o instanceof Outcome.Unavailable u && !u.outcomeUnknown());
        assertThat(c.node("primary").lastPosition().index()).isEqualTo(last);
        c.heal();
        assertThat(settle(c, write)).isEqualTo(new Outcome.Value("a", new Versioned("1", last)));
        assertThat(settle(c, read)).isEqualTo(new Outcome.Value("a", new Versioned("1", last)));
    }

    /** The refused key is nowhere, and no log position was used on the primary or sent to the backup. */
    private static void assertUnchanged(SimulatedCluster c, long lastIndex, String refusedKey) {
        c.run(Duration.ofMillis(100));
        assertThat(c.node("primary").lastPosition().index()).isEqualTo(lastIndex);
        assertThat(c.node("backup").lastPosition().index()).isEqualTo(lastIndex);
        assertThat(c.node("primary").readLocal(refusedKey)).isNull();
        assertThat(c.node("backup").readLocal(refusedKey)).isNull();
    }

    private static ReplicaSettings tuned(ReplicaSettings s, int maxPendingOperations, int logRetention) {
        return s.withLogRetention(logRetention).withMaxPendingOperations(maxPendingOperations);
    }

    private static long version(Outcome outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Value.class);
        return ((Outcome.Value) outcome).value().version();
    }

    private static Outcome settle(SimulatedCluster c, CompletableFuture<Outcome> f) {
        c.runUntil(f::isDone, Duration.ofSeconds(5));
        return f.join();
    }
}
