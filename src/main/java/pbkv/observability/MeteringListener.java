package pbkv.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;
import pbkv.core.ReplicaEvent;
import pbkv.core.ReplicaListener;

/** What the replica reports as it happens: commit latency (a histogram) and events by kind. */
@Component
class MeteringListener implements ReplicaListener {

    private final MeterRegistry registry;
    private final Timer commitLatency;

    MeteringListener(MeterRegistry registry) {
        this.registry = registry;
        this.commitLatency = Timer.builder("pbkv.replication.latency")
                .description("time from a write's append to its commit on the primary")
                .publishPercentileHistogram()
                .register(registry);
    }

    @Override
    public void onCommitLatency(Duration latency) {
        commitLatency.record(latency);
    }

    @Override
    public void onEvent(ReplicaEvent event) {
        Counter.builder("pbkv.events").tag("kind", event.kind()).description("role, epoch, vote and catch-up events")
                .register(registry).increment();
    }
}
