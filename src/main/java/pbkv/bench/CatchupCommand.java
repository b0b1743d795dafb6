package pbkv.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import pbkv.harness.Json;
import pbkv.harness.NodeProcess;

/**
 * {@code bench catchup}: how long a backup that missed N writes takes to rejoin the in-sync set.
 * (a) incremental: the backup is paused (SIGSTOP) while N new keys are written, the primary drops
 * it after replication.timeout and keeps acknowledging; on SIGCONT it is resent the log it
 * missed (log retention is set above N). (b) snapshot: the backup is killed, N keys are written,
 * it restarts (holding none of them), and with a small log retention the primary can only send a
 * snapshot. Also the peak RSS of the nodes holding N keys.
 *
 * <p>Before the fault the cluster replicates writes for --warm-up seconds, as a cluster in service
 * would have: a backup paused straight after start-up catches up with cold code (interpreted
 * Jackson and apply loops), which would measure its JIT rather than the catch-up.
 */
final class CatchupCommand {

    private static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(300);
    private static final int WARM_UP_KEYS = 10_000;

    private final BenchContext context;
    private final PrintStream out;
    private final int writes;
    private final int writers;
    private final byte[] value;
    private final Duration writeLimit;
    private final int snapshotRetention;
    private final Duration warmUp;
    private final List<String> kinds;

    CatchupCommand(BenchArgs args, BenchContext context, PrintStream out) {
        this.context = context;
        this.out = out;
        this.writes = args.integer("writes", 1_000_000);
        this.writers = args.integer("clients", 32);
        this.value = KvHttp.value(args.integer("value-size", 100), 11);
        this.writeLimit = Duration.ofSeconds(args.integer("write-limit", 1_200));
        this.snapshotRetention = args.integer("snapshot-log-retention", 10_000);
        this.warmUp = Duration.ofSeconds(args.integer("warm-up", 20));
        this.kinds = args.list("kinds", "incremental,snapshot");
        if (writes < 1 || writers < 1 || snapshotRetention >= writes || warmUp.isNegative()) {
            throw new IllegalArgumentException("--writes and --clients must be positive, --snapshot-log-retention below --writes, "
                    + "--warm-up not negative");
        }
        if (kinds.isEmpty() || !List.of("incremental", "snapshot").containsAll(kinds)) {
            throw new IllegalArgumentException("--kinds takes incremental, snapshot or both, got " + kinds);
        }
    }

    int run() throws IOException, InterruptedException {
        out.printf(Locale.ROOT, "bench catchup: a backup misses %,d writes of %d bytes (%d writing clients)%n", writes, value.length,
                writers);
        CatchupResult incremental = kinds.contains("incremental")
                // Retention above everything written, warm-up included: only the log may catch it up.
                ? measure("incremental", writes + 1_000_000, false) : null;
        CatchupResult snapshot = kinds.contains("snapshot") ? measure("snapshot", snapshotRetention, true) : null;
        out.println();
        if (incremental != null) {
            out.printf(Locale.ROOT, "incremental catch-up of %,d writes: %.2f s (from SIGCONT to in sync; catch-up by %s)%n", writes,
                    incremental.seconds(), incremental.method());
            out.printf(Locale.ROOT, "primary RSS holding %,d keys: peak %d MiB, now %d MiB with the log retaining them all%n", writes,
                    incremental.primaryPeakMiB(), incremental.primaryNowMiB());
        }
        if (snapshot != null) {
            out.printf(Locale.ROOT, "snapshot catch-up of %,d keys: %.2f s from restart (JVM start included), %.2f s from the "
                    + "backup answering HTTP (catch-up by %s)%n", writes, snapshot.seconds(), snapshot.secondsFromUp(), snapshot.method());
            out.printf(Locale.ROOT, "primary RSS holding %,d keys: peak %d MiB, now %d MiB with log retention %,d; backup after "
                            + "installing the snapshot: peak %d MiB, now %d MiB%n", writes, snapshot.primaryPeakMiB(),
                    snapshot.primaryNowMiB(), snapshotRetention, snapshot.backupPeakMiB(), snapshot.backupNowMiB());
        }
        String json = String.format(Locale.ROOT, "{\"writes\": %d, \"valueSize\": %d, \"incremental\": %s, \"snapshot\": %s}%n",
                writes, value.length, incremental == null ? "null" : incremental.json(), snapshot == null ? "null" : snapshot.json());
        Files.createDirectories(context.outDir());
        Files.writeString(context.outDir().resolve(context.stem("catchup") + ".json"), json);
        return 0;
    }

    private CatchupResult measure(String kind, int logRetention, boolean restartEmpty) throws IOException, InterruptedException {
        NodeSettings settings = context.nodeSettings().withLogRetention(logRetention);
        out.printf("[%s] starting primary + backup + witness, replication.log-retention=%d%n", kind, logRetention);
        try (BenchCluster cluster = BenchCluster.start(BenchCluster.ONE_BACKUP, settings, context.clusterDir("catchup-" + kind),
                context.http())) {
            cluster.awaitReady(BenchCluster.START_TIMEOUT);
            warmUp(cluster, kind);
            NodeProcess backup = cluster.node("backup");
            if (restartEmpty) {
                backup.kill();
                out.printf("[%s] backup killed (kill -9)%n", kind);
            } else {
                backup.pause();
                out.printf("[%s] backup paused (kill -STOP %d)%n", kind, backup.pid());
            }
            BulkWriter.Result written = BulkWriter.write(context.httpClients(writers), cluster.node("primary").baseUrl(), 0, writes,
                    value, writers, writeLimit, kind + " writes", out);
            out.printf(Locale.ROOT, "[%s] %,d writes acknowledged in %.1f s (%,.0f/s, %d retries); primary in-sync set %s%n", kind,
                    written.written(), written.seconds(), written.perSecond(), written.retries(), cluster.inSync("primary"));
            Instant wallStart = Instant.now();
            long start = System.nanoTime();
            double upAfter = 0;
            if (restartEmpty) {
                backup.start();
                upAfter = awaitAnswering(backup, start);
                out.printf(Locale.ROOT, "[%s] backup restarted, answering HTTP after %.2f s%n", kind, upAfter);
            } else {
                backup.resume();
            }
            double seconds = awaitInSync(cluster, kind, start);
            long[] primaryRss = Machine.residentMiB(cluster.node("primary").pid());
            long[] backupRss = Machine.residentMiB(backup.pid());
            String method = catchUpMethod(cluster.view("primary"));
            printEvents(cluster, "primary", wallStart);
            printEvents(cluster, "backup", wallStart);
            out.printf(Locale.ROOT, "[%s] backup in sync %.2f s after %s (catch-up by %s); primary RSS peak %d MiB, backup %d MiB%n",
                    kind, seconds, restartEmpty ? "restart" : "SIGCONT", method, primaryRss[0], backupRss[0]);
            return new CatchupResult(seconds, seconds - upAfter, method, primaryRss[0], primaryRss[1], backupRss[0], backupRss[1],
                    written.perSecond());
        }
    }

    /**
     * Replicated writes to the first {@link #WARM_UP_KEYS} keys, which the measured writes then
     * overwrite, so that the store still ends with exactly --writes keys.
     */
    private void warmUp(BenchCluster cluster, String kind) throws IOException, InterruptedException {
        if (warmUp.isZero()) {
            return;
        }
        String url = cluster.node("primary").baseUrl();
        List<HttpRequest> puts = new ArrayList<>();
        for (int i = 0; i < Math.min(WARM_UP_KEYS, writes); i++) {
            puts.add(KvHttp.put(url, KvHttp.key(i), value, KvHttp.REQUEST_TIMEOUT));
        }
        ClosedLoopLoad.Measurement m = ClosedLoopLoad.run(new ClosedLoopLoad.Workload(puts, List.of(), 0.0), writers,
                context.httpClients(writers), Duration.ZERO, warmUp);
        List<String> inSync = cluster.inSync("primary");
        out.printf(Locale.ROOT, "[%s] warm-up: %,d replicated writes in %d s, in sync: %s%n", kind, m.ok(), warmUp.toSeconds(), inSync);
        if (!inSync.contains("backup")) {
            throw new IOException(kind + ": the backup left the in-sync set during the warm-up");
        }
    }

    private double awaitAnswering(NodeProcess node, long start) throws IOException, InterruptedException {
        if (!node.awaitHealthy(context.http(), CATCH_UP_LIMIT.minusNanos(System.nanoTime() - start))) {
            throw new IOException("restarted backup did not come up:\n" + node.logTail(30));
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Polls the primary's /cluster until the backup is in its in-sync set; prints its lag every 2 s. */
    @SuppressWarnings("unchecked")
    private double awaitInSync(BenchCluster cluster, String kind, long start) throws IOException, InterruptedException {
        long lastReport = start;
        while (System.nanoTime() - start < CATCH_UP_LIMIT.toNanos()) {
            Map<String, Object> view = cluster.view("primary");
            if (view != null && ((List<String>) view.get("inSync")).contains("backup")) {
                return (System.nanoTime() - start) / 1e9;
            }
            if (System.nanoTime() - lastReport > 2_000_000_000L && view != null) {
                lastReport = System.nanoTime();
                Object member = ((List<Object>) view.get("members")).stream()
                        .filter(m -> "backup".equals(((Map<String, Object>) m).get("id"))).findFirst().orElse(null);
                out.printf(Locale.ROOT, "  [%s] +%.1f s: backup %s%n", kind, (lastReport - start) / 1e9, member);
            }
            Thread.sleep(10);
        }
        throw new IOException(kind + ": backup not back in sync within " + CATCH_UP_LIMIT.toSeconds() + " s; primary view: "
                + cluster.view("primary"));
    }

    /** The node's protocol events since {@code since}, with their offset from it: what the catch-up consisted of. */
    private void printEvents(BenchCluster cluster, String id, Instant since) {
        for (NodeEvents.Event e : NodeEvents.since(cluster.view(id), since)) {
            out.printf(Locale.ROOT, "    %s event +%.2f s: %s%n", id, e.after().toNanos() / 1e9, e.line());
        }
    }

    /** How the primary caught the backup up, from its recent events ("sending snapshot" or "incremental catch-up"). */
    @SuppressWarnings("unchecked")
    private static String catchUpMethod(Map<String, Object> view) {
        if (view == null || !(view.get("events") instanceof List)) {
            return "unknown";
        }
        List<String> events = (List<String>) view.get("events");
        boolean snapshot = events.stream().anyMatch(e -> e.contains("peer backup sending snapshot"));
        boolean incremental = events.stream().anyMatch(e -> e.contains("peer backup incremental catch-up"));
        // A backup whose log simply continues gets no mismatch, hence no "incremental" event: no snapshot means the log.
        return snapshot && incremental ? "incremental then snapshot" : snapshot ? "snapshot" : "incremental log (no snapshot)";
    }

    private record CatchupResult(double seconds, double secondsFromUp, String method, long primaryPeakMiB, long primaryNowMiB,
                                 long backupPeakMiB, long backupNowMiB, double writesPerSecond) {
        String json() {
            return String.format(Locale.ROOT, "{\"seconds\": %.3f, \"secondsFromUp\": %.3f, \"method\": %s, \"primaryPeakRssMiB\": %d, "
                            + "\"primaryRssMiB\": %d, \"backupPeakRssMiB\": %d, \"backupRssMiB\": %d, \"writesPerSecond\": %.0f}",
                    seconds, secondsFromUp, Json.quote(method), primaryPeakMiB, primaryNowMiB, backupPeakMiB, backupNowMiB,
                    writesPerSecond);
        }
    }
}
