package pbkv.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pbkv.core.ClientWrite;
import pbkv.core.Member;
import pbkv.core.Outcome;
import pbkv.core.Replica;
import pbkv.core.ReplicaListener;
import pbkv.core.ReplicaSettings;
import pbkv.core.VoterStore;

/** Concurrent request threads through the combiner: every write applied once, grouped while one is combining. */
@Timeout(60)
class WriteCombinerTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** A one-node cluster: its own in-sync set, so a write commits as soon as it is appended. */
    private static Replica singleNode() {
        ReplicaSettings settings = ReplicaSettings.defaults("solo", List.of(new Member("solo", false)), "solo");
        Replica replica = new Replica(settings, (to, request) -> { }, new VoterStore.InMemory(), new Random(1),
                ReplicaListener.NONE, START);
        replica.tick(START.plusMillis(10));
        return replica;
    }

    /** A clock whose first reading waits for the test: the first combiner is stopped inside its group. */
    private static final class GateClock extends Clock {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);
        final AtomicInteger readings = new AtomicInteger();

        @Override
        public Instant instant() {
            if (readings.getAndIncrement() == 0) {
                entered.countDown();
                try {
                    open.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return START.plusMillis(20);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void writesArrivingWhileAnotherThreadCombinesGoToTheReplicaAsOneGroup() throws Exception {
        GateClock clock = new GateClock();
        WriteCombiner combiner = new WriteCombiner(singleNode(), clock);
        ExecutorService threads = Executors.newFixedThreadPool(11);
        try {
            Future<CompletableFuture<Outcome>> first = threads.submit(() -> combiner.write(ClientWrite.put("first", "v")));
            assertThat(clock.entered.await(10, TimeUnit.SECONDS)).as("the first writer is combining").isTrue();

            List<Future<CompletableFuture<Outcome>>> later = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String key = "later-" + i;
                later.add(threads.submit(() -> combiner.write(ClientWrite.put(key, "v"))));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> combiner.queued() == 10);
            clock.open.countDown();

            assertThat(first.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS)).isInstanceOf(Outcome.Value.class);
            for (Future<CompletableFuture<Outcome>> f : later) {
                assertThat(f.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS)).isInstanceOf(Outcome.Value.class);
            }
            assertThat(clock.readings).as("one call to the replica for the first write, one for the ten queued behind it")
                    .hasValue(2);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void everyWriteOfManyConcurrentThreadsIsAppliedExactlyOnce() throws Exception {
        Replica replica = singleNode();
        WriteCombiner combiner = new WriteCombiner(replica, Clock.fixed(START.plusMillis(20), ZoneOffset.UTC));
        int threads = 16;
        int writesEach = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Outcome>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    List<Outcome> outcomes = new ArrayList<>();
                    for (int i = 0; i < writesEach; i++) {
                        outcomes.add(combiner.write(ClientWrite.put("t" + thread + "-" + i, "v" + i)).get(10, TimeUnit.SECONDS));
                    }
                    return outcomes;
                }));
            }
            Set<Long> versions = new HashSet<>();
            for (Future<List<Outcome>> f : results) {
                for (Outcome o : f.get(60, TimeUnit.SECONDS)) {
                    assertThat(o).isInstanceOf(Outcome.Value.class);
                    versions.add(((Outcome.Value) o).value().version());
                }
            }
            assertThat(versions).as("one log position per write").hasSize(threads * writesEach);
            assertThat(replica.lastPosition().index()).isEqualTo(versions.stream().mapToLong(Long::longValue).max().orElseThrow());
            assertThat(replica.store().get("t7-499").value()).isEqualTo("v499");
            assertThat(combiner.queued()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }
}
