package pbkv.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Publishes histogram buckets for the HTTP server's request timer, so the dashboard can compute
 * latency percentiles across nodes with {@code histogram_quantile}. For every uri or none: the
 * Prometheus registry cannot write one metric as a histogram for some tags and a summary for
 * others (the whole scrape fails). Bounded to 1 ms..10 s to keep the buckets per series few.
 */
@Component
class RequestLatencyHistograms implements MeterFilter {

    private static final String HTTP_SERVER_REQUESTS = "http.server.requests";

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!id.getName().equals(HTTP_SERVER_REQUESTS)) {
            return config;
        }
        return DistributionStatisticConfig.builder()
                .percentilesHistogram(true)
                .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
                .maximumExpectedValue((double) Duration.ofSeconds(10).toNanos())
                .build()
                .merge(config);
    }
}
