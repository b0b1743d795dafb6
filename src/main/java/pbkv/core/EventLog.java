package pbkv.core;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The replica's notable events (role changes, proposals, catch-up, storage): logged, passed to the
 * listener, and the latest kept for the view, a bounded number so that a flapping node holds
 * bounded memory.
 */
final class EventLog {

    private static final System.Logger LOG = System.getLogger("pbkv.replica");
    private static final int MAX_EVENTS = 200;

    private final Deque<ReplicaEvent> recent = new ArrayDeque<>();
    private final ReplicaListener listener;

    EventLog(ReplicaListener listener) {
        this.listener = listener;
    }

    void add(Instant now, String kind, String line) {
        ReplicaEvent event = new ReplicaEvent(now, kind, line);
        LOG.log(System.Logger.Level.INFO, "event=" + kind + " " + line);
        recent.addLast(event);
        if (recent.size() > MAX_EVENTS) {
            recent.removeFirst();
        }
        listener.onEvent(event);
    }

    List<ReplicaEvent> recent() {
        return List.copyOf(recent);
    }
}
