package pbkv.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import pbkv.check.OpType;
import pbkv.check.Operation;
import pbkv.harness.ClusterHarness;
import pbkv.harness.KvClient;
import pbkv.harness.KvResponse;
import pbkv.torture.HistoryRecorder;
import pbkv.torture.ResponseClassifier;

/**
 * Reads every key once from the primary after a recovery, a few readers in parallel, each read
 * recorded in the history (so the checker sees what the recovered cluster answered). A read that is
 * turned away (no primary yet, a 503) is retried until {@link #BOUND} for all keys together.
 */
final class ReadBack {

    static final Duration BOUND = Duration.ofSeconds(45);
    private static final int READERS = 4;
    private static final long RETRY_MILLIS = 100;

    private ReadBack() {
    }

    /** The successful read of each key (200 or 404); a key missing from the map could not be read. */
    static Map<String, Operation> readEveryKey(ClusterHarness cluster, String primary, List<String> keys,
                                               HistoryRecorder recorder, String client) throws Exception {
        KvClient kv = cluster.client().withTimeout(Duration.ofSeconds(5));
        long deadline = System.nanoTime() + BOUND.toNanos();
        Map<String, Operation> reads = new ConcurrentHashMap<>();
        ExecutorService readers = Executors.newFixedThreadPool(READERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                int reader = r;
                List<String> share = new ArrayList<>();
                for (int i = reader; i < keys.size(); i += READERS) {
                    share.add(keys.get(i));
                }
                done.add(readers.submit(() -> {
                    for (String key : share) {
                        read(cluster, kv, primary, key, recorder, client + "-r" + reader, deadline, reads);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            readers.shutdownNow();
        }
        return new TreeMap<>(reads);
    }

    private static void read(ClusterHarness cluster, KvClient kv, String primary, String key, HistoryRecorder recorder,
                             String client, long deadline, Map<String, Operation> reads) throws InterruptedException {
        String target = primary;
        while (System.nanoTime() < deadline) {
            long invoked = System.nanoTime();
            KvResponse response = kv.get(cluster.node(target).baseUrl(), key);
            long completed = System.nanoTime();
            Operation op = recorder.record(client, OpType.GET, key, null, null, invoked, completed,
                    ResponseClassifier.classify(OpType.GET, response));
            if (response.status() == 200 || response.status() == 404) {
                reads.put(key, op);
                return;
            }
            Thread.sleep(RETRY_MILLIS);
            target = cluster.primaryId().orElse(target);
        }
    }
}
