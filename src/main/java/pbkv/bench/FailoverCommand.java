package pbkv.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import pbkv.harness.Json;

/**
 * {@code bench failover}: per trial, a fresh primary + backup + witness with the given timings,
 * one client writing to the primary, kill -9 of the primary, then a PUT to the backup every few
 * milliseconds until one is acknowledged. The figure is kill to first acknowledged write: what a
 * client that knows the backup's address sees. {@code --false-failover-check SECONDS} then runs
 * 64 writing clients against a healthy cluster and reports whether the epoch moved (it must not).
 */
final class FailoverCommand {

    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(30);

    private final BenchContext context;
    private final PrintStream out;
    private final int trials;
    private final String heartbeat;
    private final String failureTimeout;
    private final int falseFailoverSeconds;
    private final int checkClients;
    private final byte[] value;

    FailoverCommand(BenchArgs args, BenchContext context, PrintStream out) {
        this.context = context;
        this.out = out;
        this.trials = args.integer("trials", 10);
        this.heartbeat = args.durationText("heartbeat", "100ms");
        this.failureTimeout = args.durationText("failure-timeout", "1s");
        this.falseFailoverSeconds = args.integer("false-failover-check", 0);
        this.checkClients = args.integer("clients", 64);
        this.value = KvHttp.value(args.integer("value-size", 100), 7);
    }

    int run() throws IOException, InterruptedException {
        out.printf("bench failover: %d trial(s), heartbeat.interval=%s failure.timeout=%s%n", trials, heartbeat, failureTimeout);
        List<Double> millis = new ArrayList<>();
        StringBuilder json = new StringBuilder();
        for (int i = 1; i <= trials; i++) {
            TrialResult r = trial(i);
            millis.add(r.millis());
            out.printf(Locale.ROOT, "trial %2d: kill -9 -> first acknowledged write on the backup: %7.0f ms (candidate at %d ms, "
                            + "primary at %d ms; %d PUTs tried, epoch %d -> %d, %,d writes acknowledged by the old primary)%n", i,
                    r.millis(), r.candidateMillis(), r.primaryMillis(), r.attempts(), r.epochBefore(), r.epochAfter(),
                    r.writesBefore());
            json.append(json.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT,
                    "{\"ms\": %.1f, \"candidateMs\": %d, \"primaryMs\": %d}", r.millis(), r.candidateMillis(), r.primaryMillis()));
        }
        String summary = "{\"heartbeat\": " + Json.quote(heartbeat) + ", \"failureTimeout\": " + Json.quote(failureTimeout)
                + ", \"trials\": [" + json + "]";
        if (!millis.isEmpty()) {
            out.printf(Locale.ROOT, "failover (heartbeat %s, failure timeout %s): median %.0f ms, min %.0f ms, max %.0f ms over %d "
                            + "trials%n", heartbeat, failureTimeout, median(millis), millis.stream().mapToDouble(d -> d).min().orElse(0),
                    millis.stream().mapToDouble(d -> d).max().orElse(0), millis.size());
            summary += String.format(Locale.ROOT, ", \"medianMs\": %.1f", median(millis));
        }
        int status = 0;
        if (falseFailoverSeconds > 0) {
            FalseFailoverCheck check = new FalseFailoverCheck(context, out, heartbeat, failureTimeout, checkClients, value);
            boolean stable = check.run(Duration.ofSeconds(falseFailoverSeconds));
            summary += ", \"falseFailoverCheckSeconds\": " + falseFailoverSeconds + ", \"epochStable\": " + stable;
            status = stable ? 0 : 1;
        }
        Files.createDirectories(context.outDir());
        Files.writeString(context.outDir().resolve(context.stem("failover") + ".json"), summary + "}\n");
        return status;
    }

    private TrialResult trial(int n) throws IOException, InterruptedException {
        NodeSettings settings = context.nodeSettings().withTimings(heartbeat, failureTimeout);
        try (BenchCluster cluster = BenchCluster.start(BenchCluster.ONE_BACKUP, settings, context.clusterDir("failover-" + n),
                context.http())) {
            cluster.awaitReady(BenchCluster.START_TIMEOUT);
            long epochBefore = cluster.number("primary", "epoch");
            HttpClient writerClient = KvHttp.newClient();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong acked = new AtomicLong();
            String primaryUrl = cluster.node("primary").baseUrl();
            Thread writer = new Thread(() -> writeUntil(writerClient, primaryUrl, stop, acked), "failover-writer");
            writer.setDaemon(true);
            writer.start();
            Thread.sleep(2_000); // the primary is busy with a steady stream of writes when it dies
            Instant killedWall = Instant.now();
            long killedAt = System.nanoTime();
            cluster.node("primary").kill();
            stop.set(true);
            HttpClient probeClient = KvHttp.newClient();
            HttpRequest probe = KvHttp.put(cluster.node("backup").baseUrl(), "failover-probe", value, Duration.ofSeconds(2));
            int attempts = 0;
            while (System.nanoTime() - killedAt < GIVE_UP_AFTER.toNanos()) {
                attempts++;
                if (acknowledged(probeClient, probe)) {
                    double ms = (System.nanoTime() - killedAt) / 1e6;
                    writer.join(2_000);
                    Map<String, Object> view = cluster.view("backup");
                    List<NodeEvents.Event> events = NodeEvents.since(view, killedWall);
                    long epochAfter = BenchCluster.number(view, "epoch");
                    return new TrialResult(ms, attempts, epochBefore, epochAfter, acked.get(),
                            NodeEvents.firstMillis(events, "role=CANDIDATE"), NodeEvents.firstMillis(events, "role=PRIMARY"));
                }
                Thread.sleep(5);
            }
            throw new IOException("trial " + n + ": no write acknowledged by the backup within " + GIVE_UP_AFTER.toSeconds()
                    + " s of killing the primary; backup view: " + cluster.view("backup"));
        }
    }

    private void writeUntil(HttpClient http, String url, AtomicBoolean stop, AtomicLong acked) {
        for (long i = 0; !stop.get(); i++) {
            HttpRequest put = KvHttp.put(url, KvHttp.key(i % 1_000), value, Duration.ofSeconds(2));
            if (acknowledged(http, put)) {
                acked.incrementAndGet();
            }
        }
    }

    private static boolean acknowledged(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * One trial: kill to first acknowledged write, PUTs it took, epochs, writes the old primary acknowledged, and
     * when (ms after the kill, -1 unknown) the backup became candidate (failure detected, pre-vote won) and primary.
     */
    private record TrialResult(double millis, int attempts, long epochBefore, long epochAfter, long writesBefore,
                               long candidateMillis, long primaryMillis) {
    }
}
