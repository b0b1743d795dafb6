package pbkv.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Failure detection: heartbeat.interval and failure.timeout (the lease defaults to half of it). */
public final class TimingProperties {
    private TimingProperties() {
    }

    @ConfigurationProperties("heartbeat")
    public record Heartbeat(@DefaultValue("100ms") Duration interval, @DefaultValue("10ms") Duration tick) {
    }

    @ConfigurationProperties("failure")
    public record Failure(@DefaultValue("1s") Duration timeout, Duration lease) {
        public Duration leaseOrDefault() {
            return lease != null ? lease : timeout.dividedBy(2);
        }
    }

    @ConfigurationProperties("failover")
    public record Failover(@DefaultValue("false") boolean allowUnsafeTwoNode) {
    }
}
