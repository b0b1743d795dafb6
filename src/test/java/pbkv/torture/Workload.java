package pbkv.torture;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import pbkv.harness.ClusterHarness;
import pbkv.harness.KvClient;

/**
 * N {@link WorkloadClient}s on their own threads against one cluster, all recording into one
 * {@link HistoryRecorder}. Keys are {@code k0..k(n-1)}: few keys, so that clients collide.
 */
final class Workload implements WorkloadClient.Nodes {

    /**
     * Per request. Shorter than a node's own write timeout (3 s), so a write to a paused primary becomes
     * an unknown op in the history rather than a stalled client.
     */
    static final Duration REQUEST_TIMEOUT = Duration.ofMillis(2500);

    private final ClusterHarness cluster;
    private final List<String> dataNodes;
    private final List<String> keys;
    private final Map<Integer, String> nodeByPort;
    private final HistoryRecorder recorder;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    Workload(ClusterHarness cluster, List<String> dataNodes, int keyCount, HistoryRecorder recorder) {
        this.cluster = cluster;
        this.dataNodes = List.copyOf(dataNodes);
        this.keys = IntStream.range(0, keyCount).mapToObj(i -> "k" + i).toList();
        this.nodeByPort = cluster.nodeIds().stream()
                .collect(Collectors.toMap(id -> cluster.node(id).port(), id -> id));
        this.recorder = recorder;
    }

    List<String> keys() {
        return keys;
    }

    /** Starts {@code clients} clients, each first sending to {@code primary}. */
    void start(int clients, String primary, long seed) {
        // The harness client turns a 307's proxy address into the primary's real port.
        KvClient kv = cluster.client().withTimeout(REQUEST_TIMEOUT);
        for (int c = 1; c <= clients; c++) {
            WorkloadClient client = new WorkloadClient("c" + c, kv, keys, this, primary, recorder,
                    TortureOptions.derive(seed, 100 + c), () -> stopped);
            Thread thread = new Thread(client, "torture-client-" + c);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /** Asks every client to stop after its current operation and waits for them. */
    void stop() throws InterruptedException {
        stopped = true;
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        for (Thread thread : threads) {
            thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (thread.isAlive()) {
                throw new IllegalStateException(thread.getName() + " did not stop within 15 s");
            }
        }
    }

    @Override
    public List<String> dataNodes() {
        return dataNodes;
    }

    @Override
    public String baseUrl(String node) {
        return cluster.node(node).baseUrl();
    }

    @Override
    public String nodeAt(int port) {
        return nodeByPort.get(port);
    }
}
