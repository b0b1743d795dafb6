package pbkv.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Publishes histogram buckets for the HTTP server's timer of client requests ({@code /kv}), so the
 * dashboard can compute latency percentiles across nodes with {@code histogram_quantile}. Only
 * there, and bounded to 1 ms..10 s: each bucket is a series per uri, method and status, and the
 * peer endpoints (/replicate) would add many for what the commit latency histogram already shows.
 */
@Component
class RequestLatencyHistograms implements MeterFilter {

    private static final String HTTP_SERVER_REQUESTS = "http.server.requests";
    private static final String CLIENT_URI_PREFIX = "/kv";

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        String uri = id.getTag("uri");
        if (!id.getName().equals(HTTP_SERVER_REQUESTS) || uri == null || !uri.startsWith(CLIENT_URI_PREFIX)) {
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
