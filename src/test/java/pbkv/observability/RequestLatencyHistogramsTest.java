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
    void clientAndPeerRequestsBothGetHistogramBucketsSoTheScrapeStaysValid() {
        Timer.builder("http.server.requests").tag("uri", "/kv/{key}").register(registry).record(Duration.ofMillis(3));
        Timer.builder("http.server.requests").tag("uri", "/replicate").register(registry).record(Duration.ofMillis(3));
        assertThat(registry.scrape())
                .contains("http_server_requests_seconds_bucket{uri=\"/kv/{key}\",le=\"0.001\"}")
                .contains("http_server_requests_seconds_bucket{uri=\"/replicate\",le=\"10.0\"}");
    }

    @Test
    void otherTimersAreLeftAlone() {
        Timer.builder("pbkv.other").register(registry).record(Duration.ofMillis(3));
        assertThat(registry.scrape()).doesNotContain("_bucket");
    }
}
