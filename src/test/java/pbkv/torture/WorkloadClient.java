package pbkv.torture;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import pbkv.check.OpType;
import pbkv.harness.KvClient;
import pbkv.harness.KvResponse;

/**
 * One client of the workload: a loop of random get / put / cas / delete on a few keys, one operation
 * at a time, each recorded with its invoke and complete {@code System.nanoTime()}. It sends to the node
 * it believes is primary: it follows 307s (the {@link KvClient} does) and then believes the node that
 * answered; on a 503 or a transport failure it moves on to the next data node. Now and then it tries a
 * random data node, as a client with a stale view would, so that under a split brain both sides get
 * traffic. After losing its primary (a 503 or a transport failure), a client's next operations read
 * back the key it last wrote with success, until a read is answered: the first thing it does on the
 * new primary is to look for its acknowledged write, which is where a lost write shows (otherwise a
 * later write to the key could hide the loss from the checker).
 */
final class WorkloadClient implements Runnable {

    /** Chance per op of asking a random data node instead of the believed primary. */
    private static final double REPROBE = 0.05;
    private static final long BACKOFF_MILLIS = 50;

    private final String id;
    private final KvClient kv;
    private final List<String> keys;
    private final Nodes nodes;
    private final HistoryRecorder recorder;
    private final Random random;
    private final BooleanSupplier stopped;
    private final Map<String, Long> lastVersion = new HashMap<>(); // per key: the newest version this client saw
    private String target;
    private long writes;
    private String lastWrittenKey; // the key of this client's last acknowledged write
    private boolean readBackFirst; // set when the primary was lost

    /** The data nodes, how to reach them, and which node a port belongs to. */
    interface Nodes {
        List<String> dataNodes();

        String baseUrl(String node);

        /** The node listening on {@code port} (real, not a proxy), or null. */
        String nodeAt(int port);
    }

    WorkloadClient(String id, KvClient kv, List<String> keys, Nodes nodes, String initialTarget,
                   HistoryRecorder recorder, long seed, BooleanSupplier stopped) {
        this.id = id;
        this.kv = kv;
        this.keys = keys;
        this.nodes = nodes;
        this.target = initialTarget;
        this.recorder = recorder;
        this.random = new Random(seed);
        this.stopped = stopped;
    }

    @Override
    public void run() {
        while (!stopped.getAsBoolean()) {
            if (random.nextDouble() < REPROBE) {
                target = pick(nodes.dataNodes());
            }
            boolean readBack = readBackFirst && lastWrittenKey != null;
            KvResponse response = readBack ? send(OpType.GET, lastWrittenKey) : step(pick(keys));
            if (readBack && (response.status() == 200 || response.status() == 404)) {
                readBackFirst = false;
            }
            if (response.status() == 503 || response.isTransportFailure()) {
                readBackFirst = true;
                rotate();
                sleep(BACKOFF_MILLIS); // a cluster without a primary is not worth a busy loop
            } else {
                String answered = response.uri() == null ? null : nodes.nodeAt(response.uri().getPort());
                if (answered != null) {
                    target = answered;
                }
            }
        }
    }

    private KvResponse step(String key) {
        double draw = random.nextDouble();
        return send(draw < 0.4 ? OpType.GET : draw < 0.7 ? OpType.PUT : draw < 0.9 ? OpType.CAS : OpType.DELETE, key);
    }

    private KvResponse send(OpType type, String key) {
        String value = type == OpType.PUT || type == OpType.CAS ? id + "-" + (++writes) : null;
        // Mostly the version last seen (a cas that can succeed), sometimes an older one (a 412).
        long seen = lastVersion.getOrDefault(key, 1L);
        long expected = random.nextInt(4) == 0 ? Math.max(1, seen - random.nextInt(3)) : seen;
        String base = nodes.baseUrl(target);
        long invoked = System.nanoTime();
        KvResponse response = switch (type) {
            case GET -> kv.get(base, key);
            case PUT -> kv.put(base, key, value);
            case CAS -> kv.cas(base, key, expected, value);
            case DELETE -> kv.delete(base, key);
            default -> throw new IllegalStateException("no such workload op " + type);
        };
        long completed = System.nanoTime();
        ResponseClassifier.Classification result = ResponseClassifier.classify(type, response);
        recorder.record(id, type, key, value, type == OpType.CAS ? Long.toString(expected) : null,
                invoked, completed, result);
        learnVersion(key, response);
        if (type != OpType.GET && response.isOk()) {
            lastWrittenKey = key;
        }
        return response;
    }

    private void learnVersion(String key, KvResponse response) {
        if (response.isTransportFailure()) {
            return;
        }
        var version = response.versionIfPresent();
        if (version.isPresent()) {
            lastVersion.put(key, version.getAsLong());
        } else if (response.status() == 412 && response.json().path("currentVersion").isNumber()) {
            lastVersion.put(key, response.json().path("currentVersion").asLong());
        }
    }

    private void rotate() {
        List<String> data = nodes.dataNodes();
        target = data.get((data.indexOf(target) + 1) % data.size());
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
