package pbkv.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;
import pbkv.core.ReplicaEvent;
import pbkv.core.ReplicaListener;

/** What the replica reports as it happens: commit latency and batch sizes (histograms) and events by kind. */
@Component
class MeteringListener implements ReplicaListener {

    private final MeterRegistry registry;
    private final Timer commitLatency;
    private final DistributionSummary batchEntries;

    MeteringListener(MeterRegistry registry) {
        this.registry = registry;
        this.commitLatency = Timer.builder("pbkv.replication.latency")
                .description("time from a write's append to its commit on the primary")
                .publishPercentileHistogram()
                .register(registry);
        this.batchEntries = DistributionSummary.builder("pbkv.replication.batch.entries")
                .description("log entries per batch the primary sends a backup: how many writes each /replicate carries (group commit)")
                .publishPercentileHistogram()
                .maximumExpectedValue(8192.0)
                .register(registry);
    }

    @Override
    public void onCommitLatency(Duration latency) {
        commitLatency.record(latency);
    }

    @Override
    public void onBatchSent(int entries) {
        batchEntries.record(entries);
    }

    @Override
    public void onEvent(ReplicaEvent event) {
        Counter.builder("pbkv.events").tag("kind", event.kind()).description("role, epoch, vote and catch-up events")
                .register(registry).increment();
    }
}
