package pbkv.scenario;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import pbkv.bench.NodeSettings;

/**
 * Runs one scenario end to end: starts the cluster, runs the script with the background client,
 * reads every key back from the final primary, judges the history and writes report.md,
 * history.tsv, timeline.png and (the nodes write them) nodes/ID/node.log under {@code out}.
 */
final class ScenarioRunner {

    static final String HEARTBEAT = "100ms";
    static final String FAILURE_TIMEOUT = "1s";
    private static final int MAX_LOST_LISTED = 30;

    private final Path jar;
    private final PrintStream console;

    ScenarioRunner(Path jar, PrintStream console) {
        this.jar = jar;
        this.console = console;
    }

    /** Runs {@code scenario}; returns its verdict (also in report.md). */
    Verdicts.Verdict run(Scenario scenario, Path out, long seed, boolean quick) throws Exception {
        Files.createDirectories(out);
        List<String> properties = new ArrayList<>(List.of("--logging.level.pbkv=INFO"));
        properties.addAll(scenario.shape().properties);
        NodeSettings settings = new NodeSettings(jar, List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m"),
                scenario.mode(), HEARTBEAT, FAILURE_TIMEOUT, null, properties);
        List<String> nodes = scenario.shape().nodes;
        NodeHttp http = new NodeHttp();
        HistoryRecorder history = new HistoryRecorder();
        Markers markers = new Markers();
        Report report = new Report();
        Instant started = Instant.now();
        long timelineStart = System.nanoTime();
        report.heading(1, "Scenario " + scenario.name());
        report.paragraph(scenario.demonstrates() + ".");
        report.paragraph("Run " + started + " with `bin/scenario run " + scenario.name() + " --seed " + seed
                + (quick ? " --short" : "") + "`; the same seed replays the client's keys, values and pauses.");
        Environment.describe(report, settings, scenario.shape(), seed);
        report.heading(2, "Steps");
        console.println("scenario " + scenario.name() + " (seed " + seed + ") -> " + out);
        Verdicts.Verdict verdict = null;
        String failure = null;
        RoleSampler sampler = null;
        List<NodeDivergences.NodeDivergence> divergence = List.of();
        try (ScenarioCluster cluster = new ScenarioCluster(settings, out.resolve("nodes"), http, nodes);
             Workload workload = new Workload(cluster, http, history, seed)) {
            ScenarioRun run = new ScenarioRun(cluster, http, history, markers, workload, report, console, quick, seed);
            run.step("start " + scenario.shape().description, scenario.shape().typed, () -> {
                cluster.startAll();
                console.println("    waiting for the nodes (JVM start on a busy machine takes a while)");
                if (!cluster.await(() -> cluster.settled("primary"), ScenarioCluster.START_TIMEOUT)) {
                    throw new IllegalStateException("the cluster did not settle within " + ScenarioCluster.START_TIMEOUT.toSeconds() + " s");
                }
            });
            timelineStart = System.nanoTime(); // the timeline starts with a settled cluster, not with JVM start-up
            sampler = new RoleSampler(cluster, markers);
            try {
                scenario.script().run(run);
            } catch (Exception | AssertionError e) {
                failure = e.toString();
                console.println("    FAILED: " + failure);
            }
            workload.close();
            run.step("read every key back from the primary", ScenarioRun.curl("GET", "primary", "/kv/KEY", null), () -> {
                for (String key : new TreeSet<>(history.ops().stream().map(HistoryRecorder.Op::key).toList())) {
                    run.read(Verdicts.VERIFY_CLIENT, key);
                }
            });
            divergence = NodeDivergences.fetch(cluster, http);
            verdict = Verdicts.judge(history, NodeDivergences.acknowledged(divergence));
        } catch (Exception e) {
            failure = failure == null ? e.toString() : failure + "; then " + e;
            console.println("    FAILED: " + e);
        } finally {
            if (sampler != null) {
                sampler.close();
            }
        }
        history.write(out.resolve("history.tsv"));
        events(report, out.resolve("nodes"), nodes);
        NodeDivergences.write(report, divergence);
        writeVerdict(report, verdict, failure);
        TimelineChart.draw(out.resolve("timeline.png"), "pbkv scenario " + scenario.name() + " (seed " + seed + ")",
                nodes, sampler == null ? List.of() : sampler.samples(), markers.all(), history.ops(), timelineStart);
        report.heading(2, "Files");
        report.line("- `history.tsv`: every client operation, in the checker's format (`bin/check-history history.tsv`)");
        report.line("- `timeline.png`: roles over time, faults and promotions, write latency");
        report.line("- `nodes/ID/node.log`: each node's log");
        report.write(out.resolve("report.md"));
        console.println(verdict == null ? "no verdict: " + failure : verdict.lines());
        console.println("report: " + out.resolve("report.md"));
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        return verdict;
    }

    private static void writeVerdict(Report report, Verdicts.Verdict verdict, String failure) {
        report.heading(2, "Verdict");
        if (failure != null) {
            report.paragraph("**The scenario did not complete:** " + failure);
        }
        if (verdict == null) {
            report.paragraph("No verdict: the run stopped before the final reads.");
            return;
        }
        report.code(List.of(verdict.lines().split("\n")));
        report.paragraph("Judged over history.tsv: a write is lost when the final read of its key returned an older"
                + " value (or none) although the write was acknowledged; linearizability is `pbkv.check`'s verdict"
                + " (the same as `bin/check-history --format pbkv history.tsv`); acknowledged writes dropped on rejoin"
                + " sums the nodes' Divergence sections.");
        if (!verdict.lost().isEmpty()) {
            List<String> lines = new ArrayList<>();
            verdict.lost().stream().limit(MAX_LOST_LISTED)
                    .forEach(op -> lines.add(op.key() + " = " + op.arg() + " (acknowledged, version " + op.exchange().version() + ")"));
            if (verdict.lost().size() > MAX_LOST_LISTED) {
                lines.add("... and " + (verdict.lost().size() - MAX_LOST_LISTED) + " more (history.tsv has them all)");
            }
            report.line("Acknowledged writes lost:").line("").code(lines);
        }
        if (!verdict.checkerDetail().isBlank()) {
            report.line("The checker's explanation:").line("").code(List.of(verdict.checkerDetail().split("\n")));
        }
    }

    /** The lines with {@code event=} each node logged: elections, promotions, catch-ups, step-downs. */
    private static void events(Report report, Path dir, List<String> nodes) throws IOException {
        report.heading(2, "Events the nodes logged");
        for (String id : nodes) {
            Path log = dir.resolve(id).resolve("node.log");
            List<String> lines;
            try (Stream<String> all = Files.exists(log) ? Files.lines(log) : Stream.empty()) {
                lines = all.filter(l -> l.contains("event=")).toList();
            }
            report.heading(3, id);
            report.code(lines.isEmpty() ? List.of("(none)") : lines);
        }
    }
}
