package pbkv.scenario;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What a scenario's script works with: numbered steps, each with the command a person could type
 * instead, the HTTP exchanges it made and every node's role and epoch after it, written to the
 * report and, as progress, to the terminal. Faults it causes become markers on the timeline.
 */
final class ScenarioRun {

    /** One step's work. */
    interface Action {
        void run() throws Exception;
    }

    /** Where bin/cluster puts each node, for the commands a person could type instead. */
    private static final Map<String, Integer> BIN_CLUSTER_PORTS = Map.of("primary", 8000, "backup", 9001, "witness", 9003);

    private static final Duration AWAIT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);

    private final ScenarioCluster cluster;
    private final NodeHttp http;
    private final HistoryRecorder history;
    private final Markers markers;
    private final Workload workload;
    private final Report report;
    private final PrintStream console;
    private final boolean quick;
    private final long seed;
    private final List<Exchange> exchanges = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private int step;
    private int loadOpsSeen;

    ScenarioRun(ScenarioCluster cluster, NodeHttp http, HistoryRecorder history, Markers markers, Workload workload,
                Report report, PrintStream console, boolean quick, long seed) {
        this.cluster = cluster;
        this.http = http;
        this.history = history;
        this.markers = markers;
        this.workload = workload;
        this.report = report;
        this.console = console;
        this.quick = quick;
        this.seed = seed;
    }

    void step(String title, String typed, Action action) throws Exception {
        step++;
        console.printf("[%d] %s%n", step, title);
        exchanges.clear();
        notes.clear();
        action.run();
        report.heading(3, step + ". " + title);
        report.line("By hand (with `bin/cluster up` running):").line("").code(List.of(typed.split("\n")));
        report.exchanges(exchanges);
        notes.forEach(report::paragraph);
        loadSummary();
        List<List<String>> rows = new ArrayList<>();
        StringBuilder progress = new StringBuilder("    ");
        for (String id : cluster.ids()) {
            Map<String, Object> v = cluster.view(id);
            String role = v == null ? "DOWN" : String.valueOf(v.get("role"));
            String epoch = v == null ? "-" : String.valueOf(v.get("epoch"));
            String inSync = v == null || v.get("inSync") == null ? "-" : String.valueOf(v.get("inSync"));
            rows.add(List.of(id, role, epoch, inSync));
            progress.append(id).append('=').append(role).append(" epoch ").append(epoch).append("  ");
        }
        report.line("After this step (GET /cluster on each node):").line("");
        report.table(List.of("node", "role", "epoch", "in sync (as the node sees it)"), rows);
        console.println(progress.toString().stripTrailing());
    }

    private void loadSummary() {
        List<HistoryRecorder.Op> load = history.ops().stream().filter(op -> op.client().equals("load")).toList();
        List<HistoryRecorder.Op> fresh = load.subList(Math.min(loadOpsSeen, load.size()), load.size());
        loadOpsSeen = load.size();
        if (fresh.isEmpty()) {
            return;
        }
        long ok = fresh.stream().filter(op -> op.write() && op.outcome().equals("ok")).count();
        long fail = fresh.stream().filter(op -> op.write() && op.outcome().equals("fail")).count();
        long unknown = fresh.stream().filter(op -> op.write() && op.outcome().equals("unknown")).count();
        long reads = fresh.stream().filter(op -> !op.write()).count();
        long[] okMillis = fresh.stream().filter(op -> op.write() && op.outcome().equals("ok"))
                .mapToLong(op -> op.exchange().millis()).sorted().toArray();
        String median = okMillis.length == 0 ? "" : " (median " + okMillis[okMillis.length / 2] + " ms)";
        report.paragraph("Background client meanwhile: " + ok + " writes acknowledged" + median + ", " + fail + " refused or redirected, "
                + unknown + " with unknown outcome (timeout or 5xx), " + reads + " linearizable reads.");
    }

    /** An observation for the step's part of the report, shown on the terminal too. */
    void note(String text) {
        notes.add(text);
        console.println("    " + text);
    }

    /** A put by the script to the current primary, recorded in the history. */
    Exchange write(String key, String value) throws InterruptedException {
        return writeTo(awaitPrimary(), key, value);
    }

    /** A put by the script to node {@code id}, whatever its role, recorded in the history. */
    Exchange writeTo(String id, String key, String value) {
        Exchange e = http.put(cluster.url(id), key, value);
        history.put("script", key, value, e);
        exchanges.add(e);
        return e;
    }

    /** A linearizable get by the script from the current primary, recorded in the history. */
    Exchange read(String client, String key) throws InterruptedException {
        String primary = awaitPrimary();
        Exchange e = http.get(cluster.url(primary) + "/kv/" + key);
        history.get(client, key, e);
        exchanges.add(e);
        return e;
    }

    /** A local read of one node's copy: not linearizable, so not part of the history. */
    Exchange readLocal(String node, String key) {
        Exchange e = http.get(cluster.url(node) + "/kv/" + key + "?consistency=local");
        exchanges.add(e);
        return e;
    }

    void kill(String id) {
        cluster.node(id).kill();
        markers.add("kill -9 " + id, Markers.Kind.FAULT);
    }

    void start(String id) throws IOException {
        cluster.node(id).start();
        markers.add("start " + id, Markers.Kind.FAULT);
    }

    void isolate(String id) {
        cluster.isolate(id);
        markers.add("cut " + id + " off", Markers.Kind.FAULT);
    }

    /** Adds {@code latency} to every chunk on the links between {@code a} and {@code b}, both ways. */
    void slow(String a, String b, Duration latency) {
        cluster.link(a, b).delay(latency);
        cluster.link(b, a).delay(latency);
        markers.add("slow " + a + "-" + b, Markers.Kind.FAULT);
    }

    void silence(String id) {
        cluster.silence(id, seed);
        markers.add(id + " silent", Markers.Kind.FAULT);
    }

    void heal() {
        cluster.heal();
        markers.add("heal links", Markers.Kind.FAULT);
    }

    void startLoad() {
        workload.start();
    }

    /** Lets the background client run for a while (half as long in the short form). */
    void pace(Duration duration) throws InterruptedException {
        Thread.sleep(quick ? duration.toMillis() / 2 : duration.toMillis());
    }

    void await(String what, BooleanSupplier condition) throws InterruptedException {
        console.println("    waiting for " + what);
        if (!cluster.await(condition, AWAIT)) {
            throw new IllegalStateException("timed out after " + AWAIT.toSeconds() + " s waiting for " + what);
        }
    }

    /**
     * Lets the background client run like {@link #pace}, checking {@code condition} every poll;
     * false when it failed even once.
     */
    boolean holdsThroughout(Duration duration, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + (quick ? duration.toNanos() / 2 : duration.toNanos());
        boolean held = true;
        while (System.nanoTime() < deadline) {
            held &= condition.getAsBoolean();
            Thread.sleep(POLL.toMillis());
        }
        return held;
    }

    /** Waits until some node is primary with every other data node in sync at its epoch; marks that and returns it. */
    String awaitSettled() throws InterruptedException {
        await("one primary with the other data nodes in sync at its epoch", () -> {
            String primary = cluster.primary();
            return primary != null && cluster.settled(primary);
        });
        String primary = cluster.primary();
        markers.add("settled on " + primary, Markers.Kind.CATCH_UP);
        return primary;
    }

    /** Waits until {@code id} is back in the primary's in-sync set, and marks the catch-up. */
    void awaitCaughtUp(String primary, String id) throws InterruptedException {
        await(id + " in " + primary + "'s in-sync set at its epoch", () -> cluster.settled(primary));
        markers.add(id + " in sync", Markers.Kind.CATCH_UP);
    }

    String awaitPrimary() throws InterruptedException {
        String primary = cluster.primary();
        if (primary == null) {
            await("a primary", () -> cluster.primary() != null);
            primary = cluster.primary();
        }
        return primary;
    }

    ScenarioCluster cluster() {
        return cluster;
    }

    long seed() {
        return seed;
    }

    /** {@code curl} for a request to bin/cluster's node {@code id}. */
    static String curl(String method, String id, String path, String body) {
        String data = body == null ? "" : " -d '" + body + "'";
        return "curl -s -i -X " + method + data + " http://127.0.0.1:" + BIN_CLUSTER_PORTS.get(id) + path;
    }
}
