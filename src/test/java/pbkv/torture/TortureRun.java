package pbkv.torture;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import pbkv.check.CheckResult;
import pbkv.check.History;
import pbkv.check.HistoryParseException;
import pbkv.check.LinearizabilityChecker;
import pbkv.check.OpType;
import pbkv.check.Operation;
import pbkv.check.PbkvHistoryFormat;
import pbkv.harness.ClusterBuilder;
import pbkv.harness.ClusterHarness;
import pbkv.harness.KvClient;
import pbkv.harness.KvResponse;

/**
 * One torture run: a fresh cluster, the workload and the nemesis for the given time, then heal
 * everything, wait for a primary, read every key from it (recorded in the history too), write the
 * history to {@code <out>/run-<seed>/history.pbkv} and check it. A passing run deletes its directory;
 * a failing one keeps history, node logs and a {@code verdict.txt}.
 */
final class TortureRun {

    static final String FINAL_CLIENT = "final";
    private static final Duration SETTLE = Nemesis.SETTLE;
    /** Generous: on a loaded 2-core machine four Spring Boot JVMs starting at once can take a minute. */
    private static final Duration STARTUP = Duration.ofSeconds(180);
    /** No new fault starts this close to the end, so the last one is healed while clients still run. */
    private static final Duration LAST_FAULT_MARGIN = Duration.ofSeconds(3);

    private final TortureOptions options;
    private final PrintStream out;

    TortureRun(TortureOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    RunResult call() throws InterruptedException, IOException {
        long seed = options.seed();
        int backups = options.unsafeTwoNode() ? 1
                : options.backups() >= 0 ? options.backups()
                : new Random(TortureOptions.derive(seed, 0)).nextInt(4) == 0 ? 2 : 1;
        boolean witness = !options.unsafeTwoNode();
        Path dir = options.outputDir().resolve("run-" + seed).toAbsolutePath();
        ClusterBuilder builder = ClusterHarness.builder("cluster").outputRoot(dir).seed(seed)
                .backups(backups).witness(witness).startupTimeout(STARTUP)
                .property("storage.power-loss-journal", "true"); // for the power-loss fault; costs a small write per fsync
        if (options.async()) {
            builder.property("replication.mode", "async");
        }
        if (options.unsafeTwoNode()) {
            builder.property("failover.allow-unsafe-two-node", "true");
        }
        String shape = "primary+" + backups + "backup" + (backups > 1 ? "s" : "") + (witness ? "+witness" : "")
                + (options.async() ? " mode=async" : "") + (options.unsafeTwoNode() ? " unsafe-two-node" : "");
        out.println("  cluster " + shape);
        HistoryRecorder recorder = new HistoryRecorder();
        long started = System.nanoTime();
        List<String> faults = List.of();
        RunResult result;
        try (ClusterHarness cluster = builder.start()) {
            List<String> dataNodes = cluster.nodeIds().stream()
                    .filter(id -> !id.equals(ClusterBuilder.WITNESS)).toList();
            String primary = cluster.awaitSettled(SETTLE);
            Workload workload = new Workload(cluster, dataNodes, options.keys(), recorder);
            Nemesis nemesis = new Nemesis(cluster, dataNodes, TortureOptions.derive(seed, 1), options.script(),
                    fault -> out.println("  fault " + fault));
            long workloadStart = System.nanoTime();
            out.printf("  cluster up in %.1f s, workload starts%n", (workloadStart - started) / 1e9);
            long end = workloadStart + Duration.ofSeconds(options.seconds()).toNanos();
            workload.start(options.clients(), primary, seed);
            nemesis.run(end - LAST_FAULT_MARGIN.toNanos());
            Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000)); // the workload's remaining time
            nemesis.healAll();
            workload.stop();
            faults = nemesis.applied();
            List<String> problems = new ArrayList<>();
            long healed = System.nanoTime();
            readEveryKey(cluster, nemesis, workload.keys(), recorder, problems);
            problems.addAll(0, nemesis.problems());
            out.printf("  workload ran %.1f s; after healing, settled and read every key in %.1f s%n",
                    (healed - workloadStart) / 1e9, (System.nanoTime() - healed) / 1e9);
            result = check(recorder, shape, faults, problems, started, dir);
        } catch (RuntimeException | AssertionError | IOException e) {
            Exception error = e instanceof Exception ex ? ex : new IllegalStateException(e.getMessage(), e);
            if (recorder.ok() + recorder.fail() + recorder.unknown() > 0) { // what was recorded may explain it
                recorder.write(dir.resolve("history.pbkv"), List.of("torture run, seed " + seed + ", broke: " + e));
            }
            result = RunResult.broken(options, shape, faults, recorder, elapsed(started), dir, error);
        }
        if (result.passed() && !options.keepAll()) {
            ClusterBuilder.deleteRecursively(dir);
        } else {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("verdict.txt"),
                    result.summary() + "\n" + String.join("\n", result.details()) + "\n", StandardCharsets.UTF_8);
        }
        return result;
    }

    /** After healing: wait for the cluster, then one successful read of each key from the primary. */
    private void readEveryKey(ClusterHarness cluster, Nemesis nemesis, List<String> keys, HistoryRecorder recorder,
                              List<String> problems) throws InterruptedException {
        nemesis.settled("after the final heal"); // a problem if not; the reads below go on regardless
        KvClient kv = cluster.client().withTimeout(Duration.ofSeconds(5));
        for (String key : keys) {
            long deadline = System.nanoTime() + SETTLE.toNanos();
            boolean read = false;
            while (!read && System.nanoTime() < deadline) {
                String primary = cluster.primaryId().orElse(null);
                if (primary != null) {
                    long invoked = System.nanoTime();
                    KvResponse response = kv.get(cluster.node(primary).baseUrl(), key);
                    long completed = System.nanoTime();
                    read = response.status() == 200 || response.status() == 404;
                    if (read) {
                        recorder.record(FINAL_CLIENT, OpType.GET, key, null, null, invoked, completed,
                                ResponseClassifier.classify(OpType.GET, response));
                    }
                }
                if (!read) {
                    Thread.sleep(200);
                }
            }
            if (!read) {
                problems.add("no successful final read of " + key + " within " + SETTLE.toSeconds() + " s");
            }
        }
    }

    /** Writes the history, reads it back as {@code bin/check-history} would, and checks it both ways. */
    private RunResult check(HistoryRecorder recorder, String shape, List<String> faults, List<String> problems,
                            long started, Path dir) throws IOException {
        Path file = dir.resolve("history.pbkv");
        recorder.write(file, List.of("torture run, seed " + options.seed() + ", cluster " + shape,
                "faults: " + String.join("; ", faults), "replay: " + options.replayCommand()));
        History history;
        try {
            history = PbkvHistoryFormat.parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (HistoryParseException e) {
            throw new IllegalStateException("the recorder wrote a history its own format cannot read", e);
        }
        CheckResult checked = LinearizabilityChecker.check(history);
        List<String> violations = checked.violations().stream()
                .map(v -> String.join("\n    ", v.explain())).toList();
        Map<String, Operation> finalReads = new LinkedHashMap<>();
        history.operations().stream().filter(op -> op.client().equals(FINAL_CLIENT))
                .forEach(op -> finalReads.put(op.key(), op));
        List<String> lost = AckedWriteCheck.lostWrites(history.operations(), finalReads);
        return new RunResult(options, shape, faults, recorder.ok(), recorder.fail(), recorder.unknown(),
                checked.verdict(), violations, lost, problems, elapsed(started), dir, null);
    }

    private static Duration elapsed(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

}
