package pbkv.scenario;

import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The background client of a scenario: puts (three in four) and linearizable gets on a few keys,
 * always to the node it believes is primary, looking the primary up again after any failed
 * request. Keys, values and pauses come from one seeded generator, so a seed replays the same
 * requests; values are unique, so the verdict can tell which write a read saw.
 */
final class Workload implements AutoCloseable {

    static final int KEYS = 8;
    private static final String CLIENT = "load";

    private final ScenarioCluster cluster;
    private final NodeHttp http;
    private final HistoryRecorder history;
    private final Random random;
    private final long seed;
    private final AtomicBoolean running = new AtomicBoolean();
    private Thread thread;
    private int sequence;

    Workload(ScenarioCluster cluster, NodeHttp http, HistoryRecorder history, long seed) {
        this.cluster = cluster;
        this.http = http;
        this.history = history;
        this.seed = seed;
        this.random = new Random(seed);
    }

    static String key(int i) {
        return "k" + i;
    }

    void start() {
        if (running.compareAndSet(false, true)) {
            thread = new Thread(this::loop, "scenario-load");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void loop() {
        String target = cluster.primary();
        while (running.get()) {
            String key = key(random.nextInt(KEYS));
            boolean put = random.nextInt(4) != 0;
            String value = "s" + seed + "-" + sequence++;
            long pause = 20 + random.nextInt(40);
            boolean ok = false;
            if (target != null) {
                String url = cluster.url(target);
                HistoryRecorder.Op op = put ? history.put(CLIENT, key, value, http.put(url, key, value))
                        : history.get(CLIENT, key, http.get(url + "/kv/" + key));
                ok = op.exchange().status() == 200 || op.exchange().status() == 404;
            }
            if (!ok) {
                target = cluster.primary();
            }
            try {
                Thread.sleep(ok ? pause : 100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (running.compareAndSet(true, false) && thread != null) {
            thread.join(10_000);
        }
    }
}
