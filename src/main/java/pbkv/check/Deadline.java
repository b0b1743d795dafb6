package pbkv.check;

import java.time.Duration;

/** A time budget for a search; cheap to poll because it reads the clock only now and then. */
final class Deadline {

    private static final int POLL_EVERY = 1 << 12;

    private final long endNanos;
    private final Duration budget;
    private int polls;
    private boolean expired;

    private Deadline(Duration budget) {
        this.budget = budget;
        this.endNanos = System.nanoTime() + budget.toNanos();
    }

    static Deadline after(Duration budget) {
        return new Deadline(budget);
    }

    boolean expired() {
        if (!expired && ++polls % POLL_EVERY == 0) {
            expired = System.nanoTime() - endNanos > 0;
        }
        return expired;
    }

    Duration budget() {
        return budget;
    }
}
