package pbkv.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Writes handed to the primary together ({@link Replica#writeAll}, what the web layer's combiner
 * does with concurrent requests) behave as if written one after another, travel to the backup in
 * one batch, and are acknowledged only once that batch is acknowledged.
 */
class GroupCommitTest {

    @Test
    void writesHandedOverTogetherGoToTheBackupInOneBatchAndEachSeesTheOnesBefore() {
        SimulatedCluster c = SimulatedCluster.threeNodes(41);
        c.run(Duration.ofMillis(500));
        c.runUntil(() -> c.node("primary").view(c.now()).inSync().contains("backup"), Duration.ofSeconds(2));
        long next = c.node("primary").lastPosition().index() + 1;
        int batchesBefore = c.batchesDelivered("primary", "backup").size();

        c.cut("backup", "primary"); // hold the acknowledgement back, to see what waits for it
        List<CompletableFuture<Outcome>> results = c.writeAll("primary", List.of(
                ClientWrite.put("a", "1"),
                new ClientWrite("a", "2", next),       // compare-and-set on the write just before it
                new ClientWrite("a", "3", next),       // now stale: that version was replaced
                ClientWrite.delete("missing"),
                ClientWrite.put("b", "1")));

        assertThat(results).as("nothing is acknowledged before the backup has it").noneMatch(CompletableFuture::isDone);
        List<ReplicateRequest> batches = c.batchesDelivered("primary", "backup");
        assertThat(batches).hasSize(batchesBefore + 1);
        assertThat(batches.get(batchesBefore).entries()).extracting(LogEntry::key, LogEntry::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", "1"), org.assertj.core.groups.Tuple.tuple("a", "2"),
                        org.assertj.core.groups.Tuple.tuple("b", "1"));

        c.heal();
        assertThat(c.runUntil(() -> results.stream().allMatch(CompletableFuture::isDone), Duration.ofSeconds(2))).isTrue();
        assertThat(results.get(0).join()).isEqualTo(new Outcome.Value("a", new Versioned("1", next)));
        assertThat(results.get(1).join()).isEqualTo(new Outcome.Value("a", new Versioned("2", next + 1)));
        assertThat(results.get(2).join()).isEqualTo(new Outcome.PreconditionFailed("a", next + 1));
        assertThat(results.get(3).join()).isEqualTo(new Outcome.NotFound("missing", false));
        assertThat(results.get(4).join()).isEqualTo(new Outcome.Value("b", new Versioned("1", next + 2)));
        assertThat(c.node("backup").readLocal("a").value()).isEqualTo("2");
    }

    @Test
    void aBackupThatStopsAnsweringHoldsBackTheWholeGroupUntilItIsDroppedFromTheInSyncSet() {
        SimulatedCluster c = SimulatedCluster.threeNodes(42);
        c.run(Duration.ofMillis(500));
        c.runUntil(() -> c.node("primary").view(c.now()).inSync().contains("backup"), Duration.ofSeconds(2));

        c.cutBoth("primary", "backup");
        List<CompletableFuture<Outcome>> results = c.writeAll("primary",
                List.of(ClientWrite.put("x", "1"), ClientWrite.put("y", "1")));
        c.run(Duration.ofMillis(500));
        assertThat(results).as("not acknowledged while the backup is in sync but silent").noneMatch(CompletableFuture::isDone);

        // After replication.timeout the primary drops the backup (the witness agrees) and the
        // writes commit on the smaller in-sync set, as single writes do.
        assertThat(c.runUntil(() -> results.stream().allMatch(CompletableFuture::isDone), Duration.ofSeconds(3))).isTrue();
        assertThat(results).allSatisfy(r -> assertThat(r.join()).isInstanceOf(Outcome.Value.class));
        assertThat(c.node("primary").view(c.now()).inSync()).containsExactly("primary");
    }

    @Test
    void inAsyncModeTheWholeGroupIsAcknowledgedAtOnce() {
        SimulatedCluster c = new SimulatedCluster(43, s -> s.withMode(ReplicationMode.ASYNC), "primary", "backup", "witness*");
        c.run(Duration.ofMillis(500));
        c.cutBoth("primary", "backup");

        List<CompletableFuture<Outcome>> results = c.writeAll("primary",
                List.of(ClientWrite.put("x", "1"), ClientWrite.put("x", "2"), ClientWrite.delete("x")));

        assertThat(results).allMatch(CompletableFuture::isDone);
        assertThat(results.get(2).join()).isEqualTo(new Outcome.NotFound("x", true));
        assertThat(c.node("backup").readLocal("x")).as("async: acknowledged before the backup has it").isNull();
    }

    @Test
    void anAcknowledgementsCallbacksRunAfterThePrimaryLetsGoOfItsLock() {
        SimulatedCluster c = SimulatedCluster.threeNodes(44);
        c.run(Duration.ofMillis(500));
        c.runUntil(() -> c.node("primary").view(c.now()).inSync().contains("backup"), Duration.ofSeconds(2));
        Replica primary = c.node("primary");

        c.cut("backup", "primary");
        List<CompletableFuture<Outcome>> results = c.writeAll("primary", List.of(ClientWrite.put("a", "1"), ClientWrite.put("b", "1")));
        // What the web layer does in such a callback: write the HTTP answer, far longer than a
        // protocol step; under the lock it would hold up every other input meanwhile.
        List<CompletableFuture<Boolean>> ranUnderLock = results.stream()
                .map(r -> r.thenApply(outcome -> Thread.holdsLock(primary))).toList();
        c.heal();

        assertThat(c.runUntil(() -> ranUnderLock.stream().allMatch(CompletableFuture::isDone), Duration.ofSeconds(2))).isTrue();
        assertThat(ranUnderLock).allSatisfy(f -> assertThat(f.join()).as("callback ran under the replica's lock").isFalse());
        assertThat(results).allSatisfy(r -> assertThat(r.join()).isInstanceOf(Outcome.Value.class));
    }

    @Test
    void aPrimaryHandsItsRequestsToTheTransportAfterItLetsGoOfItsLock() {
        List<Member> members = List.of(new Member("primary", false), new Member("backup", false), new Member("witness", true));
        AtomicReference<Replica> self = new AtomicReference<>();
        List<String> sends = new ArrayList<>();
        List<ReplicateRequest> toBackup = new ArrayList<>();
        // What the HTTP transport does in send: write the request to a socket, on the caller's
        // thread. Under the lock that write would hold up every other input meanwhile.
        Transport transport = (to, request) -> {
            boolean batch = request instanceof ReplicateRequest r && !r.entries().isEmpty();
            boolean underLock = self.get() != null && Thread.holdsLock(self.get());
            sends.add((batch ? "batch to " : "to ") + to + (underLock ? " under the lock" : ""));
            if (to.equals("backup") && request instanceof ReplicateRequest r) {
                toBackup.add(r);
            }
        };
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        Replica primary = new Replica(ReplicaSettings.defaults("primary", members, "primary"), transport,
                new VoterStore.InMemory(), new Random(45), ReplicaListener.NONE, start);
        self.set(primary);

        Instant now = start.plusSeconds(1);
        primary.tick(now);
        ReplicateRequest first = toBackup.get(toBackup.size() - 1);
        primary.onReply(new ReplicateReply("backup", first.requestId(), ReplicateReply.Status.OK, first.prev().index(),
                first.prev(), first.config()), now); // the backup holds it all: in sync
        primary.write("a", "1", null, now);

        assertThat(sends).as("heartbeats to both peers, then the write's batch to the backup")
                .contains("to backup", "to witness", "batch to backup").allMatch(s -> !s.endsWith("under the lock"));
    }
}
