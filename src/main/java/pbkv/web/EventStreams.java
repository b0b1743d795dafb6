package pbkv.web;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import pbkv.config.ConsoleProperties;

/**
 * The open event streams. One daemon thread sends: events as the log signals them (a signal only
 * schedules a send, so the replica's lock is never held across network writes) and, every second,
 * the write rate and commit latency as a {@code stats} event, which also finds closed connections.
 * Bounded: at most {@code console.max-subscribers} streams, each closed after
 * {@code console.stream-timeout}. A client whose socket stalls holds up this thread for the
 * others until its write fails; streams are few and events rare, which is why one thread suffices.
 */
@Component
class EventStreams implements DisposableBean {

    static final Duration STATS_INTERVAL = Duration.ofSeconds(1);

    private final EventLog log;
    private final ConsoleProperties console;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean sendPending = new AtomicBoolean();
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pbkv-events");
        t.setDaemon(true);
        return t;
    });

    EventStreams(EventLog log, ConsoleProperties console) {
        this.log = log;
        this.console = console;
        log.onAppend(this::scheduleSend);
        sender.scheduleAtFixedRate(this::sendStats, STATS_INTERVAL.toMillis(), STATS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A new stream that starts after {@code lastEventId} (0: with every event kept). */
    SseEmitter subscribe(long lastEventId) {
        SseEmitter emitter = new SseEmitter(console.streamTimeout().toMillis());
        Subscriber subscriber = new Subscriber(emitter, lastEventId);
        synchronized (subscribers) {
            if (subscribers.size() >= console.maxSubscribers()) {
                throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Too many event streams", "this node already streams "
                        + "events to " + console.maxSubscribers() + " clients (console.max-subscribers); retry later",
                        Map.of("maxSubscribers", console.maxSubscribers()));
            }
            subscribers.add(subscriber);
        }
        emitter.onCompletion(() -> subscribers.remove(subscriber));
        emitter.onTimeout(() -> subscribers.remove(subscriber));
        emitter.onError(e -> subscribers.remove(subscriber));
        sender.execute(() -> sendEvents(subscriber));
        return emitter;
    }

    int subscriberCount() {
        return subscribers.size();
    }

    private void scheduleSend() {
        if (sendPending.compareAndSet(false, true)) {
            sender.execute(() -> {
                sendPending.set(false);
                subscribers.forEach(this::sendEvents);
            });
        }
    }

    private void sendEvents(Subscriber s) {
        List<EventLog.Entry> entries = log.after(s.lastSentId);
        for (EventLog.Entry e : entries) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("id", e.id());
            data.put("at", e.event().at().toString());
            data.put("kind", e.event().kind());
            data.put("line", e.event().line());
            if (!send(s, SseEmitter.event().id(Long.toString(e.id())).name("replica").data(data))) {
                return;
            }
            s.lastSentId = e.id();
        }
    }

    private void sendStats() {
        EventLog.WriteStats stats = log.drainStats();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("writesPerSecond", stats.writes() * 1000.0 / STATS_INTERVAL.toMillis());
        data.put("meanLatencyMs", stats.writes() == 0 ? null : stats.latencySumNanos() / 1e6 / stats.writes());
        data.put("maxLatencyMs", stats.writes() == 0 ? null : stats.latencyMaxNanos() / 1e6);
        subscribers.forEach(s -> send(s, SseEmitter.event().name("stats").data(data)));
    }

    private boolean send(Subscriber s, SseEmitter.SseEventBuilder event) {
        try {
            s.emitter.send(event);
            return true;
        } catch (IOException | IllegalStateException e) {
            // The client went away (or the stream timed out): forget it; a browser reconnects with Last-Event-ID.
            subscribers.remove(s);
            s.emitter.completeWithError(e);
            return false;
        }
    }

    @Override
    public void destroy() {
        sender.shutdownNow();
        subscribers.forEach(s -> s.emitter.complete());
    }

    private static final class Subscriber {
        final SseEmitter emitter;
        // Written and read by the sender thread only.
        long lastSentId;

        Subscriber(SseEmitter emitter, long lastSentId) {
            this.emitter = emitter;
            this.lastSentId = lastSentId;
        }
    }
}
