package pbkv.web;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.stereotype.Component;
import pbkv.config.ConsoleProperties;
import pbkv.core.ReplicaEvent;
import pbkv.core.ReplicaListener;

/**
 * The node's recent events with increasing ids, for GET /cluster/events to replay and stream, and
 * the commit counts behind the console's write-rate chart. The replica calls it under its lock:
 * each callback only appends or adds, then signals, and never calls back into the replica.
 */
@Component
class EventLog implements ReplicaListener {

    /** One event as streamed: {@code id} orders events of this node, across restarts too. */
    record Entry(long id, ReplicaEvent event) {
    }

    /** Writes acknowledged since the last drain and their commit latency. */
    record WriteStats(long writes, long latencySumNanos, long latencyMaxNanos) {
    }

    private final int capacity;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final LongAdder writes = new LongAdder();
    private final LongAdder latencySumNanos = new LongAdder();
    private final AtomicLong latencyMaxNanos = new AtomicLong();
    private volatile Runnable onAppend = () -> { };
    // Ids start at the boot time in ms × 1000: a restarted node's ids exceed its previous life's
    // (unless that life logged over 1000 events a millisecond), so a stale Last-Event-ID is detected.
    private long lastId;

    EventLog(ConsoleProperties console, Clock clock) {
        this.capacity = console.eventLogSize();
        this.lastId = clock.millis() * 1000;
    }

    void onAppend(Runnable signal) {
        this.onAppend = signal;
    }

    @Override
    public void onEvent(ReplicaEvent event) {
        synchronized (this) {
            entries.addLast(new Entry(++lastId, event));
            if (entries.size() > capacity) {
                entries.removeFirst();
            }
        }
        onAppend.run();
    }

    @Override
    public void onCommitLatency(Duration latency) {
        long nanos = latency.toNanos();
        writes.increment();
        latencySumNanos.add(nanos);
        latencyMaxNanos.accumulateAndGet(nanos, Math::max);
    }

    /**
     * The events after {@code id}; all those kept when {@code id} is not one this log could have
     * issued since (older than what is kept, from another node or a later life), so that a client
     * sees every event still known rather than silently nothing.
     */
    synchronized List<Entry> after(long id) {
        if (entries.isEmpty()) {
            return List.of();
        }
        long first = entries.getFirst().id();
        if (id < first - 1 || id > lastId) {
            return List.copyOf(entries);
        }
        return entries.stream().filter(e -> e.id() > id).toList();
    }

    synchronized long lastId() {
        return lastId;
    }

    /** The write counts since the previous call; resets them. */
    WriteStats drainStats() {
        return new WriteStats(writes.sumThenReset(), latencySumNanos.sumThenReset(), latencyMaxNanos.getAndSet(0));
    }
}
