package pbkv.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Aggressive failure detection must not mistake a busy primary for a dead one: this runs many
 * writing clients against a healthy primary + backup + witness and watches both data nodes'
 * epoch, role and in-sync set. Any epoch change (a failover, or a backup dropped from the
 * in-sync set because its acknowledgements were late) fails the check, and each change is
 * printed with its time so it can be matched with GC or CPU starvation.
 */
final class FalseFailoverCheck {

    private final BenchContext context;
    private final PrintStream out;
    private final String heartbeat;
    private final String failureTimeout;
    private final int clients;
    private final byte[] value;

    FalseFailoverCheck(BenchContext context, PrintStream out, String heartbeat, String failureTimeout, int clients, byte[] value) {
        this.context = context;
        this.out = out;
        this.heartbeat = heartbeat;
        this.failureTimeout = failureTimeout;
        this.clients = clients;
        this.value = value;
    }

    /** True when the epoch stayed the same on both data nodes throughout. */
    boolean run(Duration length) throws IOException, InterruptedException {
        out.printf("false-failover check: %d clients writing for %d s, heartbeat.interval=%s failure.timeout=%s%n", clients,
                length.toSeconds(), heartbeat, failureTimeout);
        NodeSettings settings = context.nodeSettings().withTimings(heartbeat, failureTimeout);
        try (BenchCluster cluster = BenchCluster.start(BenchCluster.ONE_BACKUP, settings, context.clusterDir("false-failover"),
                context.http())) {
            cluster.awaitReady(BenchCluster.START_TIMEOUT);
            State before = state(cluster);
            out.println("  at start: " + before.text());
            List<HttpRequest> writes = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                writes.add(KvHttp.put(cluster.node("primary").baseUrl(), KvHttp.key(i), value, KvHttp.REQUEST_TIMEOUT));
            }
            AtomicBoolean stop = new AtomicBoolean();
            List<String> changes = new ArrayList<>();
            long started = System.nanoTime();
            Thread monitor = new Thread(() -> watch(cluster, before, started, stop, changes), "false-failover-monitor");
            monitor.setDaemon(true);
            monitor.start();
            ClosedLoopLoad.Measurement m = ClosedLoopLoad.run(new ClosedLoopLoad.Workload(writes, writes, 0), clients,
                    context.httpClients(clients), Duration.ZERO, length);
            stop.set(true);
            monitor.join(5_000);
            State after = state(cluster);
            boolean stable = !after.epochChangedSince(before) && changes.isEmpty();
            out.printf(Locale.ROOT, "  load: %,.0f ops/s, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, %d errors %s%n", m.opsPerSecond(),
                    m.percentileMillis(50), m.percentileMillis(99), m.percentileMillis(99.9), m.errors(),
                    m.failures().isEmpty() ? "" : m.failures());
            out.println("  at end:   " + after.text());
            out.println("false-failover check: " + (stable ? "PASS, the epoch did not change"
                    : "FAIL, the epoch changed " + changes.size() + " time(s)"));
            return stable;
        }
    }

    private void watch(BenchCluster cluster, State initial, long started, AtomicBoolean stop, List<String> changes) {
        State last = initial;
        while (!stop.get()) {
            State now = state(cluster);
            if (now.epochChangedSince(last)) {
                String line = String.format(Locale.ROOT, "+%.1f s: %s", (System.nanoTime() - started) / 1e9, now.text());
                synchronized (changes) {
                    changes.add(line);
                }
                out.println("  CHANGE " + line);
                last = now;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Epoch per data node (-1 when it did not answer in time) and a readable line with roles and in-sync sets. */
    private record State(Map<String, Long> epochs, String text) {
        /** A node too busy to answer /cluster is no change; a different epoch is. */
        boolean epochChangedSince(State earlier) {
            return epochs.entrySet().stream().anyMatch(e -> e.getValue() >= 0
                    && earlier.epochs.getOrDefault(e.getKey(), -1L) >= 0 && !e.getValue().equals(earlier.epochs.get(e.getKey())));
        }
    }

    private static State state(BenchCluster cluster) {
        Map<String, Long> epochs = new LinkedHashMap<>();
        StringBuilder b = new StringBuilder();
        for (String id : List.of("primary", "backup")) {
            Map<String, Object> v = cluster.view(id);
            epochs.put(id, BenchCluster.number(v, "epoch"));
            b.append(b.length() == 0 ? "" : " | ").append(id).append(": ");
            b.append(v == null ? "no answer" : v.get("role") + " epoch " + v.get("epoch") + " inSync " + v.get("inSync"));
        }
        return new State(epochs, b.toString());
    }
}
