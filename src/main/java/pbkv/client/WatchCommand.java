package pbkv.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/**
 * {@code kv watch}: the primary's GET /cluster/events, one line per event. When the stream ends
 * (the node died or the stream timed out) it finds the primary again and reconnects, resuming
 * with Last-Event-ID when it is the same node.
 */
@Command(name = "watch", description = "Follow the primary's events (role changes, promotions, catch-ups) until interrupted.")
final class WatchCommand implements Callable<Integer> {

    private static final Duration RECONNECT_PAUSE = Duration.ofMillis(500);

    @ParentCommand
    Kv kv;

    @Option(names = "--count", paramLabel = "N", description = "stop after N events (default: never)")
    long count = Long.MAX_VALUE;

    @Option(names = "--stats", description = "also print the primary's write rate and commit latency each second")
    boolean stats;

    private long seen;
    private String lastNode;
    private String lastEventId;

    @Override
    public Integer call() throws InterruptedException {
        ClusterClient client = kv.client();
        while (seen < count) {
            ClusterClient.Answer view = client.send("GET", "/cluster", null, Map.of());
            JsonNode body = Kv.parse(view.body());
            String primary = body == null ? null : primaryUrl(body);
            if (primary == null) {
                if (view.status() == 0) {
                    kv.spec.commandLine().getErr().println("kv: " + view.failure());
                    return Kv.UNAVAILABLE;
                }
                Thread.sleep(RECONNECT_PAUSE.toMillis());
                continue;
            }
            follow(client, primary);
            if (seen < count) {
                Thread.sleep(RECONNECT_PAUSE.toMillis());
            }
        }
        return Kv.OK;
    }

    private static String primaryUrl(JsonNode view) {
        String id = view.path("primary").asString(null);
        for (JsonNode m : view.path("members")) {
            if (m.path("id").asString().equals(id)) {
                return m.path("url").asString();
            }
        }
        return null;
    }

    private void follow(ClusterClient client, String node) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node + "/cluster/events")).header("Accept", "text/event-stream");
        if (node.equals(lastNode) && lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        lastNode = node;
        try {
            HttpResponse<InputStream> r = client.http().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                r.body().close();
                return;
            }
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                read(lines);
            }
        } catch (IOException e) {
            // The node went away: find the primary again.
        }
    }

    private void read(BufferedReader lines) throws IOException {
        PrintWriter out = kv.spec.commandLine().getOut();
        String name = "message";
        String id = null;
        StringBuilder data = new StringBuilder();
        for (String line = lines.readLine(); line != null && seen < count; line = lines.readLine()) {
            if (line.startsWith("event:")) {
                name = line.substring(6).strip();
            } else if (line.startsWith("id:")) {
                id = line.substring(3).strip();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5));
            } else if (line.isEmpty() && !data.isEmpty()) {
                print(out, name, data.toString());
                if (name.equals("replica")) {
                    lastEventId = id;
                    seen++;
                }
                name = "message";
                id = null;
                data.setLength(0);
            }
        }
    }

    private void print(PrintWriter out, String name, String data) {
        JsonNode event = Kv.parse(data);
        if (event == null || (name.equals("stats") && !stats)) {
            return;
        }
        if (kv.json) {
            out.println(event);
        } else if (name.equals("stats")) {
            out.printf("stats     %.0f writes/s, mean commit latency %s ms%n", event.path("writesPerSecond").asDouble(),
                    event.path("meanLatencyMs").isNull() ? "-" : String.format("%.2f", event.path("meanLatencyMs").asDouble()));
        } else {
            out.printf("%s %-9s %s%n", event.path("at").asString(), event.path("kind").asString(), event.path("line").asString());
        }
    }
}
