package pbkv.observability;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * When this node's log first held each index, sampled each time the metrics read the replica, so
 * that a peer's lag can be told in seconds: the age of the oldest entry it lacks. Accurate to the
 * sampling interval (the scrape interval when only Prometheus reads). Bounded: when full, every
 * second sample is dropped, which halves the resolution but keeps the oldest ages.
 */
final class LagTimeline {

    static final int MAX_SAMPLES = 2048;

    private record Sample(Instant at, long lastIndex) {
    }

    private final List<Sample> samples = new ArrayList<>();

    /** Keeps a sample only when the log grew; a shorter log (truncated after a new epoch) starts afresh. */
    synchronized void record(Instant at, long lastIndex) {
        Sample newest = samples.isEmpty() ? null : samples.get(samples.size() - 1);
        if (newest != null && newest.lastIndex() == lastIndex) {
            return;
        }
        if (newest != null && newest.lastIndex() > lastIndex) {
            samples.clear();
        }
        if (samples.size() == MAX_SAMPLES) {
            for (int i = samples.size() - 2; i > 0; i -= 2) {
                samples.remove(i);
            }
        }
        samples.add(new Sample(at, lastIndex));
    }

    /** Seconds since the log first held an entry past {@code matchIndex}; 0 when the peer lacks none. */
    synchronized double secondsBehind(long matchIndex, long lag, Instant now) {
        if (lag <= 0) {
            return 0;
        }
        for (Sample sample : samples) {
            if (sample.lastIndex() > matchIndex) {
                return Math.max(0, Duration.between(sample.at(), now).toNanos() / 1e9);
            }
        }
        return 0;
    }

    synchronized int size() {
        return samples.size();
    }
}
