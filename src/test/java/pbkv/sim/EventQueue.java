package pbkv.sim;

import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * The simulation's only notion of time: a queue of actions ordered by global virtual time, ties
 * broken by the order they were scheduled in, so a run depends on nothing but its seed.
 */
final class EventQueue {

    private record Event(long at, long sequence, Runnable action) {
    }

    private final PriorityQueue<Event> events =
            new PriorityQueue<>(Comparator.comparingLong(Event::at).thenComparingLong(Event::sequence));
    private long now;
    private long sequence;

    /** Global virtual time in nanoseconds since the start of the run. */
    long now() {
        return now;
    }

    void at(long time, Runnable action) {
        events.add(new Event(Math.max(time, now), sequence++, action));
    }

    void after(long delayNanos, Runnable action) {
        at(now + delayNanos, action);
    }

    /** Runs the next event if it is due by {@code until}; false when none is. */
    boolean runNext(long until) {
        Event next = events.peek();
        if (next == null || next.at() > until) {
            return false;
        }
        events.poll();
        now = next.at();
        next.action().run();
        return true;
    }

    static long millis(long ms) {
        return ms * 1_000_000L;
    }
}
