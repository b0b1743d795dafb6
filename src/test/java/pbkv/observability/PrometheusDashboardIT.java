package pbkv.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import pbkv.harness.ClusterHarness;
import pbkv.harness.KvClient;
import pbkv.harness.NodeRole;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grafana dashboard against a real Prometheus scraping a real 3-node cluster: after writes,
 * reads, a failover and the old primary's return, every PromQL expression in the dashboard (panels
 * and annotations) returns series over the test's time range, and the shipped alert rules load and
 * evaluate without error. Prometheus' files: {@code target/it-prometheus/}.
 */
@Timeout(420) // three bounded waits of a minute each on a loaded machine, plus the cluster start
class PrometheusDashboardIT {

    private static final Path ROOT = ExternalTool.projectRoot();
    private static final Path DASHBOARD = ROOT.resolve("docker/grafana/dashboards/pbkv.json");
    private static final Path ALERTS = ROOT.resolve("docker/prometheus/alerts.yml");
    /** What Grafana puts for $__rate_interval at this scrape interval: several scrapes per window. */
    private static final String RATE_INTERVAL = "10s";
    private static final Duration STEP = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int WRITES = 40;

    @Test
    void everyDashboardQueryReturnsSeriesFromARealCluster(TestInfo test) throws IOException {
        ExternalTool prometheusBinary = ExternalTool.require("prometheus", "prometheus");
        List<String> expressions = dashboardExpressions();
        assertThat(expressions).hasSizeGreaterThanOrEqualTo(20);
        Instant start = Instant.now();
        try (ClusterHarness cluster = ClusterHarness.builder(test).start();
             PrometheusServer prometheus = PrometheusServer.start(prometheusBinary, ROOT.resolve("target/it-prometheus"),
                     cluster.nodeIds().stream().map(id -> "127.0.0.1:" + cluster.node(id).port()).toList(), ALERTS)) {
            await("prometheus ready").atMost(WAIT).ignoreExceptions().until(prometheus::isReady);
            await("every node scraped").atMost(WAIT).untilAsserted(() ->
                    assertThat(prometheus.query("up{job=\"pbkv\"} == 1").path("result").size()).isEqualTo(3));

            cluster.awaitSettled(WAIT);
            traffic(cluster, "primary", "before");
            cluster.kill("primary");
            cluster.awaitRole("backup", NodeRole.PRIMARY, WAIT);
            traffic(cluster, "backup", "during"); // the old primary lacks these: lag in entries and seconds
            awaitSample(prometheus, "max(pbkv_peer_lag_seconds{peer=\"primary\"}) > 0");
            cluster.restart("primary");
            cluster.awaitSettled(WAIT);
            traffic(cluster, "backup", "after");
            // scraped after the last write, so each rate window ending now holds traffic
            awaitSample(prometheus, "pbkv_writes_total{node=\"backup\", outcome=\"committed\"} >= " + 2 * WRITES);
            awaitSample(prometheus, "count(up{job=\"pbkv\"} == 1) == 3");

            Instant end = Instant.now();
            Map<String, Integer> seriesByExpression = new LinkedHashMap<>();
            for (String expr : expressions) {
                String runnable = expr.replace("$__rate_interval", RATE_INTERVAL);
                int series = prometheus.queryRange(runnable, start, end, STEP).path("result").size();
                seriesByExpression.put(expr, series);
                System.out.printf("%3d series  %s%n", series, expr);
            }
            assertThat(seriesByExpression).as("expressions returning no series:\n%s", prometheus.logTail())
                    .allSatisfy((expr, series) -> assertThat(series).as(expr).isPositive());
            assertAlertRulesEvaluate(prometheus);
        }
    }

    /** Writes and reads through one node, so every rate and latency histogram has samples. */
    private static void traffic(ClusterHarness cluster, String node, String phase) {
        KvClient kv = cluster.client();
        String url = cluster.node(node).baseUrl();
        for (int i = 0; i < WRITES; i++) {
            String key = phase + i;
            // right after a failover the new primary may refuse (503) until the dead member leaves the
            // in-sync set and its lease holds: retry, a refused request changed nothing
            await("put " + key + " on " + node).atMost(WAIT).until(() -> kv.put(url, key, "v").status() == 200);
            await("get " + key + " on " + node).atMost(WAIT).until(() -> kv.get(url, key).status() == 200);
        }
    }

    private static void awaitSample(PrometheusServer prometheus, String expr) {
        await(expr).atMost(WAIT).pollInterval(PrometheusServer.SCRAPE_INTERVAL).untilAsserted(() ->
                assertThat(prometheus.query(expr).path("result").size()).isPositive());
    }

    private static void assertAlertRulesEvaluate(PrometheusServer prometheus) {
        List<String> rules = new ArrayList<>();
        for (JsonNode group : prometheus.rules().path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                rules.add(rule.path("name").asString("") + ": " + rule.path("health").asString(""));
            }
        }
        System.out.println("alert rules after the run: " + rules);
        assertThat(rules).hasSize(6).allSatisfy(rule -> assertThat(rule).endsWith(": ok"));
    }

    /** Every "expr" in the dashboard: panel targets and annotation queries. */
    private static List<String> dashboardExpressions() throws IOException {
        List<String> found = new ArrayList<>();
        collect(JsonMapper.builder().build().readTree(Files.readString(DASHBOARD)), found);
        return found;
    }

    private static void collect(JsonNode node, List<String> found) {
        if (node.isObject()) {
            node.properties().forEach(field -> {
                if (field.getKey().equals("expr") && field.getValue().isString()) {
                    found.add(field.getValue().asString());
                } else {
                    collect(field.getValue(), found);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, found));
        }
    }
}
