package pbkv.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench run}: for each scenario, start its cluster, wait until ready, preload the key
 * set, then for each client count a warm-up and a measured phase of closed-loop clients; stop
 * the cluster. One table at the end (also as JSON and CSV), with ratios to baseline-single.
 */
final class RunCommand {

    private final BenchContext context;
    private final PrintStream out;
    private final List<Integer> clientCounts;
    private final Duration measure;
    private final Duration warmup;
    private final Duration jitWarmup;
    private final int valueSize;
    private final int keys;
    private final double readRatio;
    private final JfrProfiler profiler;
    private final List<Scenario> scenarios = new ArrayList<>();
    private final boolean pairedBaseline;

    RunCommand(BenchArgs args, BenchContext context, PrintStream out) {
        this.context = context;
        this.out = out;
        this.clientCounts = args.integers("clients", "1,16,64");
        this.measure = Duration.ofSeconds(args.integer("seconds", 10));
        this.warmup = Duration.ofSeconds(args.integer("warmup", 3));
        this.jitWarmup = Duration.ofSeconds(args.integer("jit-warmup", 300));
        this.valueSize = args.integer("value-size", 100);
        this.keys = args.integer("keys", 10_000);
        this.readRatio = args.decimal("read-ratio", 0.0);
        String jfrDir = args.string("jfr", null);
        this.profiler = jfrDir == null ? null : new JfrProfiler(Path.of(jfrDir), out);
        for (String label : args.list("scenarios", Scenario.labels())) {
            scenarios.add(Scenario.of(label));
        }
        this.pairedBaseline = args.flag("paired-baseline");
        if (clientCounts.isEmpty() || clientCounts.stream().anyMatch(c -> c < 1) || keys < 1 || valueSize < 1
                || readRatio < 0 || readRatio > 1) {
            throw new IllegalArgumentException("--clients, --keys and --value-size must be positive, --read-ratio in [0, 1]");
        }
    }

    int run() throws IOException, InterruptedException {
        out.printf(Locale.ROOT, "bench run: scenarios %s, clients %s, JIT warm-up until settled (at most %d s), then %d s warm-up + %d s measured, %d keys, %d-byte values, "
                        + "read ratio %.2f, %d CPUs%n", scenarios.stream().map(Scenario::label).toList(), clientCounts,
                jitWarmup.toSeconds(), warmup.toSeconds(), measure.toSeconds(), keys, valueSize, readRatio, Runtime.getRuntime().availableProcessors());
        List<HttpClient> httpClients = context.httpClients(Collections.max(clientCounts));
        ResultTable table = new ResultTable();
        for (Scenario scenario : order(scenarios, pairedBaseline)) {
            runScenario(scenario, httpClients, table);
        }
        out.println();
        table.print(out);
        Map<String, String> about = new LinkedHashMap<>();
        about.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        about.put("cpuModel", Machine.model());
        about.put("jitWarmupMaxSeconds", Long.toString(jitWarmup.toSeconds()));
        about.put("warmupSeconds", Long.toString(warmup.toSeconds()));
        about.put("measureSeconds", Long.toString(measure.toSeconds()));
        about.put("keys", Integer.toString(keys));
        about.put("valueSize", Integer.toString(valueSize));
        about.put("readRatio", Double.toString(readRatio));
        about.put("java", System.getProperty("java.version"));
        about.put("pairedBaseline", Boolean.toString(pairedBaseline));
        List<Path> files = table.write(context.outDir(), context.stem("run"), about);
        out.println("written: " + files.get(0) + " and " + files.get(1));
        return 0;
    }

    private void runScenario(Scenario scenario, List<HttpClient> httpClients, ResultTable table)
            throws IOException, InterruptedException {
        String label = scenario.label();
        out.printf("[%s] starting %d node(s), %s replication%n", label, scenario.layout().size(), scenario.mode());
        long t0 = System.nanoTime();
        try (BenchCluster cluster = BenchCluster.start(scenario.layout(), context.nodeSettings().withMode(scenario.mode()),
                context.clusterDir(label), context.http())) {
            cluster.awaitReady(BenchCluster.START_TIMEOUT);
            out.printf(Locale.ROOT, "[%s] ready after %.1f s, in sync: %s%n", label, (System.nanoTime() - t0) / 1e9,
                    cluster.inSync("primary"));
            String primaryUrl = cluster.node("primary").url();
            byte[] value = KvHttp.value(valueSize, 42);
            BulkWriter.Result preload = BulkWriter.write(httpClients, primaryUrl, 0, keys, value, 16, Duration.ofSeconds(300),
                    label + " preload", out);
            out.printf(Locale.ROOT, "[%s] preloaded %,d keys in %.1f s%n", label, preload.written(), preload.seconds());
            String readUrl = primaryUrl;
            if (scenario.readsBackup()) {
                awaitBackupHasEverything(cluster);
                readUrl = cluster.node("backup").url();
            }
            ClosedLoopLoad.Workload workload = workload(primaryUrl, readUrl, value, scenario.readsBackup());
            if (!jitWarmup.isZero()) {
                JitWarmup.run(label, cluster, workload, Collections.max(clientCounts), httpClients, jitWarmup, out);
            }
            for (int clients : clientCounts) {
                long epochBefore = cluster.number("primary", "epoch");
                List<Path> jfrFiles = profiler == null ? List.of() : profiler.schedule(cluster, label, clients, warmup, measure);
                CpuMeter cpu = CpuMeter.of(cluster);
                ClosedLoopLoad.Measurement m = ClosedLoopLoad.run(workload, clients, httpClients, warmup, measure, cpu);
                if (profiler != null) {
                    profiler.awaitWritten(jfrFiles, Duration.ofSeconds(30));
                    out.printf("[%s] JFR recordings of the measured phase: %s%n", label, jfrFiles);
                }
                // An epoch change means a backup was dropped from (or re-added to) the in-sync set, or a failover:
                // the figures then are not those of the steady state the scenario names.
                long epochAfter = cluster.number("primary", "epoch");
                long epochChanges = epochBefore < 0 || epochAfter < 0 ? -1 : epochAfter - epochBefore; // -1: unknown
                ResultTable.Row row = new ResultTable.Row(label, clients, m.opsPerSecond(), m.percentileMillis(50),
                        m.percentileMillis(99), m.percentileMillis(99.9), m.ok(), m.errors(), m.failures(), cpu.percent(),
                        cpu.jitPercent(), epochChanges);
                table.add(row);
                out.printf(Locale.ROOT, "[%s] %3d clients: %,.0f ops/s, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, %d errors; "
                                + "CPU %% of one core: %s; JIT %% of the time: %s%s%s%n", label, clients, row.opsPerSecond(), row.p50(),
                        row.p99(), row.p999(), row.errors(), ResultTable.describeCpu(cpu.percent()), ResultTable.describeCpu(cpu.jitPercent()),
                        row.jitBusy().isEmpty() ? "" : "; WARNING: JIT still compiling",
                        epochChanges == 0 ? "" : "; WARNING: epoch advanced by " + (epochChanges < 0 ? "?" : epochChanges));
            }
        }
    }

    /**
     * The scenarios in the order they run. Paired: baseline-single right before each other scenario,
     * so that each ratio compares two measurements minutes apart, not up to half an hour: on this
     * machine a full run once measured baseline-single 30 % faster than any run before it, and every
     * ratio of that run was low by as much (async-1, which is close to baseline, at 0.63x).
     */
    static List<Scenario> order(List<Scenario> scenarios, boolean pairedBaseline) {
        List<Scenario> others = scenarios.stream().filter(s -> s != Scenario.BASELINE_SINGLE).toList();
        if (!pairedBaseline || others.isEmpty()) {
            return scenarios;
        }
        List<Scenario> order = new ArrayList<>();
        for (Scenario s : others) {
            order.add(Scenario.BASELINE_SINGLE);
            order.add(s);
        }
        return order;
    }

    private ClosedLoopLoad.Workload workload(String writeUrl, String readUrl, byte[] value, boolean readsBackup) {
        List<HttpRequest> writes = new ArrayList<>(keys);
        List<HttpRequest> reads = new ArrayList<>(keys);
        for (int i = 0; i < keys; i++) {
            writes.add(KvHttp.put(writeUrl, KvHttp.key(i), value, KvHttp.REQUEST_TIMEOUT));
            reads.add(KvHttp.get(readUrl, KvHttp.key(i), readsBackup));
        }
        return new ClosedLoopLoad.Workload(writes, reads, readsBackup ? 1.0 : readRatio);
    }

    /** reads-backup measures reads of data the backup holds: wait until it has applied the preload. */
    private void awaitBackupHasEverything(BenchCluster cluster) throws IOException, InterruptedException {
        long target = cluster.number("primary", "lastIndex");
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (cluster.number("backup", "lastIndex") < target) {
            if (System.nanoTime() > deadline) {
                throw new IOException("backup did not reach index " + target + " within 30 s");
            }
            Thread.sleep(50);
        }
    }
}
