package pbkv.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import pbkv.harness.PortPicker;
import pbkv.harness.ClusterBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Prometheus (the Debian package's binary) scraping test nodes on loopback, with its
 * storage, config and log under one directory of target/ and the shipped alert rules loaded.
 * Queried through its HTTP API as Grafana queries it.
 */
final class PrometheusServer implements AutoCloseable {

    /** Scrapes time out after this too: under a loaded 2-core machine a scrape can take most of a second. */
    static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final URI base;
    private final Path logFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();

    private PrometheusServer(Process process, URI base, Path logFile) {
        this.process = process;
        this.base = base;
        this.logFile = logFile;
    }

    /** Starts Prometheus on a free loopback port, scraping {@code targets} (host:port) as job "pbkv". */
    static PrometheusServer start(ExternalTool prometheus, Path directory, List<String> targets, Path rules) {
        try {
            ClusterBuilder.deleteRecursively(directory);
            Files.createDirectories(directory);
            Path config = directory.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: %ds
                      evaluation_interval: %ds
                    rule_files: ["%s"]
                    scrape_configs:
                      - job_name: pbkv
                        metrics_path: /actuator/prometheus
                        static_configs:
                          - targets: [%s]
                    """.formatted(SCRAPE_INTERVAL.toSeconds(), SCRAPE_INTERVAL.toSeconds(), rules.toAbsolutePath(),
                    targets.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(", "))));
            int port;
            try (PortPicker ports = new PortPicker()) {
                port = ports.reserveAndRelease();
            }
            Path logFile = directory.resolve("prometheus.log");
            Process process = new ProcessBuilder(prometheus.binary().toString(),
                    "--config.file=" + config, "--storage.tsdb.path=" + directory.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
            process.getOutputStream().close();
            return new PrometheusServer(process, URI.create("http://127.0.0.1:" + port), logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start prometheus in " + directory, e);
        }
    }

    boolean isReady() {
        return process.isAlive() && get("/-/ready").statusCode() == 200;
    }

    /** The {@code data} of an instant query. */
    JsonNode query(String expr) {
        return data("/api/v1/query?query=" + encode(expr));
    }

    /** The {@code data} of a range query, as a Grafana panel sends it. */
    JsonNode queryRange(String expr, Instant start, Instant end, Duration step) {
        return data("/api/v1/query_range?query=" + encode(expr) + "&start=" + start.getEpochSecond() + "&end="
                + end.getEpochSecond() + "&step=" + step.toSeconds());
    }

    /** The {@code data} of /api/v1/rules: the loaded groups and each rule's health. */
    JsonNode rules() {
        return data("/api/v1/rules");
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private JsonNode data(String pathAndQuery) {
        HttpResponse<String> response = get(pathAndQuery);
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200 || !"success".equals(body.path("status").asString(""))) {
            throw new AssertionError("prometheus answered " + response.statusCode() + " to " + pathAndQuery + ": " + response.body());
        }
        return body.path("data");
    }

    private HttpResponse<String> get(String pathAndQuery) {
        try {
            return http.send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(REQUEST_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("prometheus at " + base + " did not answer " + pathAndQuery, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
