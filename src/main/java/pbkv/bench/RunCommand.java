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
 * With --interleave, baseline-single stays up beside each other scenario and the two are measured
 * in turn, round after round ({@link #runInterleaved}).
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
    private final List<BenchScenario> scenarios = new ArrayList<>();
    /** Rounds of baseline-single and each scenario in turn; 0: each scenario once, one after the other. */
    private final int interleave;

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
        for (String label : args.list("scenarios", BenchScenario.labels())) {
            scenarios.add(BenchScenario.of(label));
        }
        this.interleave = args.integer("interleave", 0);
        if (clientCounts.isEmpty() || clientCounts.stream().anyMatch(c -> c < 1) || keys < 1 || valueSize < 1
                || readRatio < 0 || readRatio > 1 || interleave < 0) {
            throw new IllegalArgumentException("--clients, --keys and --value-size must be positive, --read-ratio in [0, 1], --interleave not negative");
        }
    }

    int run() throws IOException, InterruptedException {
        out.printf(Locale.ROOT, "bench run: scenarios %s, clients %s, JIT warm-up until settled (at most %d s), then %d s warm-up + %d s measured%s, "
                        + "%d keys, %d-byte values, read ratio %.2f, %d CPUs%n", scenarios.stream().map(BenchScenario::label).toList(), clientCounts,
                jitWarmup.toSeconds(), warmup.toSeconds(), measure.toSeconds(),
                interleave == 0 ? "" : " per round, " + interleave + " rounds of baseline-single and each scenario in turn",
                keys, valueSize, readRatio, Runtime.getRuntime().availableProcessors());
        List<HttpClient> httpClients = context.httpClients(Collections.max(clientCounts));
        ResultTable table = new ResultTable();
        List<BenchScenario> others = scenarios.stream().filter(s -> s != BenchScenario.BASELINE_SINGLE).toList();
        if (interleave > 0 && !others.isEmpty()) {
            runInterleaved(others, httpClients, table);
        } else {
            for (BenchScenario scenario : scenarios) {
                try (Prepared prepared = prepare(scenario, httpClients)) {
                    for (int clients : clientCounts) {
                        Sample sample = measureOnce(prepared, clients, httpClients);
                        ResultTable.Row row = row(scenario.label(), clients, List.of(sample));
                        table.add(row);
                        report(row, scenario.label());
                    }
                }
            }
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
        about.put("interleaveRounds", Integer.toString(interleave));
        List<Path> files = table.write(context.outDir(), context.stem("run"), about);
        out.println("written: " + files.get(0) + " and " + files.get(1));
        return 0;
    }

    /**
     * --interleave: baseline-single stays up for the whole run, each other scenario's cluster next to it,
     * and the load goes to one and then the other, round after round. A shared VM's speed can drift by
     * tens of percent within minutes, so a baseline measured minutes away from its scenario may have seen
     * another machine; rounds seconds apart see the same one, and the order alternates (baseline first, then the
     * scenario first: ABBA) so that a steady drift cancels out instead of favouring one side.
     */
    private void runInterleaved(List<BenchScenario> others, List<HttpClient> httpClients, ResultTable table)
            throws IOException, InterruptedException {
        try (Prepared baseline = prepare(BenchScenario.BASELINE_SINGLE, httpClients)) {
            for (BenchScenario scenario : others) {
                try (Prepared prepared = prepare(scenario, httpClients)) {
                    for (int clients : clientCounts) {
                        List<Sample> baselineSamples = new ArrayList<>();
                        List<Sample> samples = new ArrayList<>();
                        List<Double> ratios = new ArrayList<>();
                        for (int round = 0; round < interleave; round++) {
                            Sample b = null;
                            Sample s = null;
                            for (boolean baselineTurn : roundOrder(round)) {
                                if (baselineTurn) {
                                    b = measureOnce(baseline, clients, httpClients);
                                } else {
                                    s = measureOnce(prepared, clients, httpClients);
                                }
                            }
                            baselineSamples.add(b);
                            samples.add(s);
                            double ratio = s.measurement().opsPerSecond() / b.measurement().opsPerSecond();
                            ratios.add(ratio);
                            out.printf(Locale.ROOT, "[%s] %3d clients, round %d/%d: baseline-single %,.0f ops/s, %s %,.0f ops/s: %.3fx%n",
                                    scenario.label(), clients, round + 1, interleave, b.measurement().opsPerSecond(), scenario.label(),
                                    s.measurement().opsPerSecond(), ratio);
                        }
                        ResultTable.Row baselineRow = row(BenchScenario.BASELINE_SINGLE.label(), clients, baselineSamples);
                        ResultTable.Row row = row(scenario.label(), clients, samples);
                        table.add(baselineRow);
                        table.add(row);
                        table.addRoundRatios(row, ratios);
                        report(baselineRow, BenchScenario.BASELINE_SINGLE.label() + " next to " + scenario.label());
                        report(row, scenario.label());
                    }
                }
            }
        }
    }

    /**
     * Which side goes first in a round, true meaning baseline-single: baseline first in even rounds,
     * the scenario first in odd ones (ABBA ABBA ...), so that a drift steady over two rounds
     * affects both sides alike.
     */
    static List<Boolean> roundOrder(int round) {
        return round % 2 == 0 ? List.of(true, false) : List.of(false, true);
    }

    /** A scenario's cluster, started, in sync, preloaded and past its JIT warm-up, and the load for it. */
    private record Prepared(BenchScenario scenario, BenchCluster cluster, ClosedLoopLoad.Workload workload) implements AutoCloseable {
        @Override
        public void close() {
            cluster.close();
        }
    }

    /** One measured phase and what the machine did meanwhile. */
    private record Sample(ClosedLoopLoad.Measurement measurement, Map<String, Double> cpuPercent, Map<String, Double> jitPercent,
                          long epochChanges) {
    }

    private Prepared prepare(BenchScenario scenario, List<HttpClient> httpClients) throws IOException, InterruptedException {
        String label = scenario.label();
        out.printf("[%s] starting %d node(s), %s replication%n", label, scenario.layout().size(), scenario.mode());
        long t0 = System.nanoTime();
        BenchCluster cluster = BenchCluster.start(scenario.layout(), context.nodeSettings().withMode(scenario.mode()).withFsync(scenario.fsync()),
                context.clusterDir(label), context.http());
        try {
            cluster.awaitReady(BenchCluster.START_TIMEOUT);
            out.printf(Locale.ROOT, "[%s] ready after %.1f s, in sync: %s%n", label, (System.nanoTime() - t0) / 1e9,
                    cluster.inSync("primary"));
            String primaryUrl = cluster.node("primary").baseUrl();
            byte[] value = KvHttp.value(valueSize, 42);
            BulkWriter.Result preload = BulkWriter.write(httpClients, primaryUrl, 0, keys, value, 16, Duration.ofSeconds(300),
                    label + " preload", out);
            out.printf(Locale.ROOT, "[%s] preloaded %,d keys in %.1f s%n", label, preload.written(), preload.seconds());
            String readUrl = primaryUrl;
            if (scenario.readsBackup()) {
                awaitBackupHasEverything(cluster);
                readUrl = cluster.node("backup").baseUrl();
            }
            ClosedLoopLoad.Workload workload = workload(primaryUrl, readUrl, value, scenario.readsBackup());
            if (!jitWarmup.isZero()) {
                JitWarmup.run(label, cluster, workload, Collections.max(clientCounts), httpClients, jitWarmup, out);
            }
            return new Prepared(scenario, cluster, workload);
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private Sample measureOnce(Prepared prepared, int clients, List<HttpClient> httpClients) throws IOException, InterruptedException {
        BenchCluster cluster = prepared.cluster();
        String label = prepared.scenario().label();
        long epochBefore = cluster.number("primary", "epoch");
        List<Path> jfrFiles = profiler == null ? List.of() : profiler.schedule(cluster, label, clients, warmup, measure);
        CpuMeter cpu = CpuMeter.of(cluster);
        ClosedLoopLoad.Measurement m = ClosedLoopLoad.run(prepared.workload(), clients, httpClients, warmup, measure, cpu);
        if (profiler != null) {
            profiler.awaitWritten(jfrFiles, Duration.ofSeconds(30));
            out.printf("[%s] JFR recordings of the measured phase: %s%n", label, jfrFiles);
        }
        // An epoch change means a backup was dropped from (or re-added to) the in-sync set, or a failover:
        // the figures then are not those of the steady state the scenario names.
        long epochAfter = cluster.number("primary", "epoch");
        long epochChanges = epochBefore < 0 || epochAfter < 0 ? -1 : epochAfter - epochBefore; // -1: unknown
        return new Sample(m, cpu.percent(), cpu.jitPercent(), epochChanges);
    }

    /** One row of the table from one or more measured phases of the same scenario and client count. */
    private static ResultTable.Row row(String label, int clients, List<Sample> samples) {
        ClosedLoopLoad.Measurement m = ClosedLoopLoad.Measurement.merge(samples.stream().map(Sample::measurement).toList());
        long epochChanges = samples.stream().anyMatch(s -> s.epochChanges() < 0) ? -1
                : samples.stream().mapToLong(Sample::epochChanges).sum();
        return new ResultTable.Row(label, clients, m.opsPerSecond(), m.percentileMillis(50), m.percentileMillis(99),
                m.percentileMillis(99.9), m.ok(), m.errors(), m.failures(), mean(samples.stream().map(Sample::cpuPercent).toList()),
                mean(samples.stream().map(Sample::jitPercent).toList()), epochChanges);
    }

    /** Per key, the mean over the maps that have it: the phases are of equal length. */
    private static Map<String, Double> mean(List<Map<String, Double>> maps) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        maps.forEach(map -> map.forEach((k, v) -> {
            double[] sum = sums.computeIfAbsent(k, x -> new double[2]);
            sum[0] += v;
            sum[1]++;
        }));
        Map<String, Double> mean = new LinkedHashMap<>();
        sums.forEach((k, sum) -> mean.put(k, sum[0] / sum[1]));
        return mean;
    }

    private void report(ResultTable.Row row, String label) {
        long epochChanges = row.epochChanges();
        out.printf(Locale.ROOT, "[%s] %3d clients: %,.0f ops/s, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, %d errors; "
                        + "CPU %% of one core: %s; JIT %% of the time: %s%s%s%n", label, row.clients(), row.opsPerSecond(), row.p50(),
                row.p99(), row.p999(), row.errors(), ResultTable.describeCpu(row.cpuPercent()), ResultTable.describeCpu(row.jitPercent()),
                row.jitBusy().isEmpty() ? "" : "; WARNING: JIT still compiling",
                epochChanges == 0 ? "" : "; WARNING: epoch advanced by " + (epochChanges < 0 ? "?" : epochChanges));
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
