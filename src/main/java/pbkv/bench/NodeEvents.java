package pbkv.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The protocol events a node lists in its /cluster view ("2025-01-01T12:00:00.123Z role=PRIMARY
 * ..."), as offsets from a moment the bench recorded: they split a failover or a catch-up into
 * its steps (detection, election, snapshot, rejoining the in-sync set). Node and bench share the
 * machine's clock.
 */
final class NodeEvents {

    record Event(Duration after, String line) {
        long millis() {
            return after.toMillis();
        }
    }

    private NodeEvents() {
    }

    /** The events at or after {@code since}, oldest first; empty if the view has none. */
    @SuppressWarnings("unchecked")
    static List<Event> since(Map<String, Object> view, Instant since) {
        List<Event> events = new ArrayList<>();
        if (view == null || !(view.get("events") instanceof List)) {
            return events;
        }
        for (String event : (List<String>) view.get("events")) {
            int space = event.indexOf(' ');
            try {
                Instant at = Instant.parse(event.substring(0, space));
                if (!at.isBefore(since)) {
                    events.add(new Event(Duration.between(since, at), event.substring(space + 1)));
                }
            } catch (RuntimeException e) {
                // not a timestamped event line: skip it
            }
        }
        return events;
    }

    /** Offset of the first event containing {@code text}, in milliseconds, or -1. */
    static long firstMillis(List<Event> events, String text) {
        return events.stream().filter(e -> e.line().contains(text)).mapToLong(Event::millis).findFirst().orElse(-1);
    }
}
