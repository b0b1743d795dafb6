package pbkv.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RequestLatencyHistogramsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    RequestLatencyHistogramsTest() {
        registry.config().meterFilter(new RequestLatencyHistograms());
    }

    @Test
    void clientRequestsGetHistogramBucketsForPercentiles() {
        Timer.builder("http.server.requests").tag("uri", "/kv/{key}").register(registry).record(Duration.ofMillis(3));
        assertThat(registry.scrape()).contains("http_server_requests_seconds_bucket{uri=\"/kv/{key}\",le=\"0.001\"}")
                .contains("le=\"10.0\"");
    }

    @Test
    void peerRequestsAndOtherTimersGetNoBuckets() {
        Timer.builder("http.server.requests").tag("uri", "/replicate").register(registry).record(Duration.ofMillis(3));
        Timer.builder("pbkv.other").tag("uri", "/kv/{key}").register(registry).record(Duration.ofMillis(3));
        assertThat(registry.scrape()).doesNotContain("_bucket").contains("http_server_requests_seconds_count{uri=\"/replicate\"} 1");
    }
}
