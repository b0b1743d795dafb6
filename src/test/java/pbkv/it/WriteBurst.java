package pbkv.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import pbkv.check.OpType;
import pbkv.harness.ClusterHarness;
import pbkv.harness.KvClient;
import pbkv.harness.KvResponse;
import pbkv.torture.HistoryRecorder;
import pbkv.torture.ResponseClassifier;

/**
 * A bounded burst of concurrent clients, each recorded into one {@link HistoryRecorder}: every client
 * stops after its number of operations, after {@link #MAX_TIME}, or when stopped. Most
 * operations put a key of their own (written once, so its acknowledged version must be read back
 * exactly); the rest put or get a few shared keys, so that the checker orders clients against each other.
 */
final class WriteBurst {

    static final int CLIENTS = 8;
    static final Duration MAX_TIME = Duration.ofSeconds(30);
    /** Below the node's own replication bound, so a stuck write is an unknown op, not a stuck client. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);
    private static final List<String> SHARED_KEYS = List.of("s0", "s1", "s2", "s3");

    private final ClusterHarness cluster;
    private final HistoryRecorder recorder;
    private final int number;
    private final long seed;
    private final int opsPerClient;
    private final Set<String> keys = ConcurrentHashMap.newKeySet();
    private final AtomicInteger acknowledged = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    WriteBurst(ClusterHarness cluster, HistoryRecorder recorder, int number, long seed, int opsPerClient) {
        this.cluster = cluster;
        this.recorder = recorder;
        this.number = number;
        this.seed = seed;
        this.opsPerClient = opsPerClient;
    }

    /** Starts the clients, each sending to {@code primary} (and following its redirects). */
    void start(String primary) {
        String base = cluster.node(primary).baseUrl();
        KvClient kv = cluster.client().withTimeout(REQUEST_TIMEOUT);
        long deadline = System.nanoTime() + MAX_TIME.toNanos();
        for (int c = 1; c <= CLIENTS; c++) {
            int client = c;
            running.incrementAndGet();
            Thread thread = new Thread(() -> {
                try {
                    run(kv, base, client, deadline);
                } finally {
                    running.decrementAndGet();
                }
            }, "burst-" + number + "-client-" + c);
            threads.add(thread);
            thread.start();
        }
    }

    /** Acknowledged puts of this burst so far. */
    int acknowledged() {
        return acknowledged.get();
    }

    boolean running() {
        return running.get() > 0;
    }

    /** Stops the clients and waits for their last operation (bounded by the request timeout). */
    void stop() throws InterruptedException {
        stopped = true;
        for (Thread thread : threads) {
            thread.join(REQUEST_TIMEOUT.multipliedBy(3).toMillis());
            if (thread.isAlive()) {
                throw new IllegalStateException(thread.getName() + " did not stop");
            }
        }
    }

    /** A key several clients write; any other key is written once. */
    static boolean isShared(String key) {
        return SHARED_KEYS.contains(key);
    }

    /** Every key an operation of this burst was sent for, whatever its outcome. */
    Set<String> keys() {
        return Set.copyOf(keys);
    }

    private void run(KvClient kv, String base, int client, long deadline) {
        Random random = new Random(seed * 31 + client);
        String id = "b" + number + "c" + client;
        for (int i = 0; i < opsPerClient && !stopped && System.nanoTime() < deadline; i++) {
            double draw = random.nextDouble();
            boolean own = draw < 0.6;
            OpType type = draw < 0.8 ? OpType.PUT : OpType.GET;
            String key = own ? id + "-" + i : SHARED_KEYS.get(random.nextInt(SHARED_KEYS.size()));
            String value = type == OpType.PUT ? id + "." + i : null;
            keys.add(key);
            long invoked = System.nanoTime();
            KvResponse response = type == OpType.PUT ? kv.put(base, key, value) : kv.get(base, key);
            long completed = System.nanoTime();
            recorder.record(id, type, key, value, null, invoked, completed, ResponseClassifier.classify(type, response));
            if (type == OpType.PUT && response.isOk()) {
                acknowledged.incrementAndGet();
            } else if (response.isTransportFailure() || response.status() >= 500) {
                pause(); // the cluster is down or between primaries: do not spin on it
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
