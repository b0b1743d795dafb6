package pbkv.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import pbkv.core.ReplicaDefaults;
import pbkv.core.ReplicaSettings;

/** Failure detection: heartbeat.interval and failure.timeout (the lease defaults to half of it). */
public final class TimingProperties {
    private TimingProperties() {
    }

    @ConfigurationProperties("heartbeat")
    public record Heartbeat(@DefaultValue(ReplicaDefaults.HEARTBEAT_INTERVAL_MS + "ms") Duration interval, @DefaultValue("10ms") Duration tick) {
    }

    @ConfigurationProperties("failure")
    public record Failure(@DefaultValue(ReplicaDefaults.FAILURE_TIMEOUT_MS + "ms") Duration timeout, Duration lease) {
        public Duration leaseOrDefault() {
            return lease != null ? lease : ReplicaSettings.defaultLease(timeout);
        }
    }

    @ConfigurationProperties("failover")
    public record Failover(@DefaultValue("false") boolean allowUnsafeTwoNode) {
    }
}
