package pbkv.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import pbkv.harness.Json;

/**
 * The results of one {@code bench run}: one row per scenario and client count, each compared
 * with baseline-single at the same client count measured in the same run (ratios are only
 * meaningful within one run: the load generator shares the machine with the nodes). Printed as
 * a table, written as JSON and CSV with the same columns.
 */
final class ResultTable {

    static final String BASELINE = "baseline-single";

    /**
     * One measurement. {@code cpuPercent}: percent of one core used by the load generator and each node;
     * {@code jitPercent}: percent of the measurement each node's JIT spent compiling (~0 in a steady state);
     * {@code epochChanges}: how far the primary's epoch advanced meanwhile (0 in a steady state, -1 unknown).
     */
    record Row(String scenario, int clients, double opsPerSecond, double p50, double p99, double p999, long ok, long errors,
               Map<String, Long> failures, Map<String, Double> cpuPercent, Map<String, Double> jitPercent, long epochChanges) {

        /** Nodes whose JIT compiled for more than a settled node does ({@link JitWarmup#quiet}). */
        Map<String, Double> jitBusy() {
            Map<String, Double> busy = new LinkedHashMap<>();
            jitPercent.forEach((id, pct) -> {
                if (!JitWarmup.quiet(pct, 100)) { // pct: ms compiled per 100 ms of the measurement
                    busy.put(id, pct);
                }
            });
            return busy;
        }
    }

    private final List<Row> rows = new ArrayList<>();
    /**
     * With --interleave: per scenario row, its throughput over the baseline's in each round. By identity:
     * a Row is a record, and two measurements equal in every field are still two rows.
     */
    private final Map<Row, List<Double>> roundRatios = new IdentityHashMap<>();

    void add(Row row) {
        rows.add(row);
    }

    void addRoundRatios(Row row, List<Double> ratios) {
        roundRatios.put(row, List.copyOf(ratios));
    }

    /**
     * The baseline row a row is compared with: the latest baseline-single at the same client count
     * measured before it (with --interleave, the one measured in turn with it), else the
     * first one of the run.
     */
    private Row baseline(Row row) {
        Row first = null;
        Row latest = null;
        for (Row r : rows) {
            if (r.scenario().equals(BASELINE) && r.clients() == row.clients()) {
                first = first == null ? r : first;
                latest = r;
            }
            if (r == row && latest != null) {
                return latest;
            }
        }
        return first;
    }

    /** Throughput of the row over the baseline's at the same client count; NaN without a baseline. */
    double throughputRatio(Row r) {
        Row b = baseline(r);
        return b == null || b.opsPerSecond() == 0 ? Double.NaN : r.opsPerSecond() / b.opsPerSecond();
    }

    /** Median latency of the row over the baseline's (lower is better). */
    double p50Ratio(Row r) {
        Row b = baseline(r);
        return b == null || !(b.p50() > 0) ? Double.NaN : r.p50() / b.p50();
    }

    void print(PrintStream out) {
        String header = String.format(Locale.ROOT, "%-16s %7s %10s %8s %8s %9s %7s %11s %9s",
                "scenario", "clients", "ops/s", "p50 ms", "p99 ms", "p99.9 ms", "errors", "x tput", "x p50");
        out.println(header);
        out.println("-".repeat(header.length()));
        for (Row r : rows) {
            out.println(String.format(Locale.ROOT, "%-16s %7d %10.0f %8.2f %8.2f %9.2f %7d %11s %9s", r.scenario(), r.clients(),
                    r.opsPerSecond(), r.p50(), r.p99(), r.p999(), r.errors(), ratio(throughputRatio(r)), ratio(p50Ratio(r))));
        }
        for (Row r : rows) {
            List<Double> ratios = roundRatios.get(r);
            if (ratios != null) {
                out.println(String.format(Locale.ROOT,
                        "  %s @%d, throughput over baseline-single's round by round: %s (min %s, median %s, max %s)", r.scenario(),
                        r.clients(), ratios.stream().map(ResultTable::ratio).collect(Collectors.joining(" ")),
                        ratio(Collections.min(ratios)), ratio(median(ratios)), ratio(Collections.max(ratios))));
            }
        }
        out.println("CPU during each measurement, percent of one core (" + Runtime.getRuntime().availableProcessors()
                + " cores; the load generator shares them with the nodes):");
        for (Row r : rows) {
            out.println(String.format(Locale.ROOT, "  %-16s %4d: %s", r.scenario(), r.clients(), describeCpu(r.cpuPercent())));
        }
        for (Row r : rows) {
            if (!r.jitBusy().isEmpty()) {
                out.println("  WARNING: " + r.scenario() + " @" + r.clients() + ": JIT still compiling during the measurement ("
                        + describeCpu(r.jitBusy()) + " % of it): not a steady state, those nodes' compilers took CPU from the rest");
            }
        }
        for (Row r : rows) {
            if (r.epochChanges() != 0) {
                out.println("  WARNING: " + r.scenario() + " @" + r.clients() + ": the epoch advanced by "
                        + (r.epochChanges() < 0 ? "? (primary did not answer)" : r.epochChanges())
                        + " during the measurement (in-sync set changes or a failover): not a steady state");
            }
        }
        for (Row r : rows) {
            if (!r.failures().isEmpty()) {
                out.println("  errors of " + r.scenario() + " @" + r.clients() + ": " + r.failures());
            }
        }
    }

    /** Writes {@code <stem>.json} and {@code <stem>.csv} into {@code dir}; returns the two paths. */
    List<Path> write(Path dir, String stem, Map<String, String> context) throws IOException {
        Files.createDirectories(dir);
        Path json = dir.resolve(stem + ".json");
        Path csv = dir.resolve(stem + ".csv");
        Files.writeString(json, json(context), StandardCharsets.UTF_8);
        Files.writeString(csv, csv(), StandardCharsets.UTF_8);
        return List.of(json, csv);
    }

    private String csv() {
        StringBuilder b = new StringBuilder(
                "scenario,clients,ops_per_s,p50_ms,p99_ms,p999_ms,ok,errors,throughput_ratio,p50_ratio,epoch_changes,max_jit_percent\n");
        for (Row r : rows) {
            double maxJit = r.jitPercent().values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
            b.append(String.format(Locale.ROOT, "%s,%d,%.1f,%.3f,%.3f,%.3f,%d,%d,%s,%s,%d,%s%n", r.scenario(), r.clients(),
                    r.opsPerSecond(), r.p50(), r.p99(), r.p999(), r.ok(), r.errors(), num(throughputRatio(r)), num(p50Ratio(r)),
                    r.epochChanges(), num(maxJit)));
        }
        return b.toString();
    }

    private String json(Map<String, String> context) {
        StringBuilder b = new StringBuilder("{\n  \"context\": {");
        b.append(context.entrySet().stream().map(e -> Json.quote(e.getKey()) + ": " + Json.quote(e.getValue()))
                .collect(Collectors.joining(", ")));
        b.append("},\n  \"results\": [\n");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            String failures = r.failures().entrySet().stream().map(e -> Json.quote(e.getKey()) + ": " + e.getValue())
                    .collect(Collectors.joining(", ", "{", "}"));
            String cpu = jsonMap(r.cpuPercent());
            String jit = jsonMap(r.jitPercent());
            b.append(String.format(Locale.ROOT, "    {\"scenario\": %s, \"clients\": %d, \"opsPerSecond\": %.1f, \"p50Ms\": %s, "
                            + "\"p99Ms\": %s, \"p999Ms\": %s, \"ok\": %d, \"errors\": %d, \"failures\": %s, "
                            + "\"throughputRatio\": %s, \"p50Ratio\": %s, \"cpuPercentOfOneCore\": %s, \"jitPercentOfMeasurement\": %s, "
                            + "\"epochChanges\": %d%s}%s%n",
                    Json.quote(r.scenario()), r.clients(), r.opsPerSecond(), jsonNum(r.p50()), jsonNum(r.p99()),
                    jsonNum(r.p999()), r.ok(), r.errors(),
                    failures, jsonNum(throughputRatio(r)), jsonNum(p50Ratio(r)), cpu, jit, r.epochChanges(),
                    roundRatios.containsKey(r) ? ", \"roundThroughputRatios\": " + roundRatios.get(r).stream()
                            .map(ResultTable::jsonNum).collect(Collectors.joining(", ", "[", "]")) : "",
                    i + 1 < rows.size() ? "," : ""));
        }
        return b.append("  ]\n}\n").toString();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String jsonMap(Map<String, Double> values) {
        return values.entrySet().stream().map(e -> Json.quote(e.getKey()) + ": " + jsonNum(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    /** "load generator 80, primary 95, backup 20" */
    static String describeCpu(Map<String, Double> cpu) {
        return cpu.isEmpty() ? "n/a" : cpu.entrySet().stream()
                .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.0f", e.getValue())).collect(Collectors.joining(", "));
    }

    private static String ratio(double x) {
        return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.2f", x);
    }

    private static String num(double x) {
        return Double.isNaN(x) ? "" : String.format(Locale.ROOT, "%.3f", x);
    }

    private static String jsonNum(double x) {
        return Double.isNaN(x) ? "null" : String.format(Locale.ROOT, "%.3f", x);
    }
}
