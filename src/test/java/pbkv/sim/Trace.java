package pbkv.sim;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What happened in one simulated run, as text lines stamped with the global virtual time. Every
 * line feeds a running 64-bit FNV-1a hash, so two runs of one seed can be compared cheaply (the
 * determinism test); the last {@link #KEPT} lines are kept for a failure report, and in verbose
 * mode (a replay of one seed) every line is printed as it happens.
 */
final class Trace {

    static final int KEPT = 300;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final PrintStream verbose;
    private final Deque<String> recent = new ArrayDeque<>();
    private long hash = FNV_OFFSET;
    private long lines;

    /** @param verbose where to print every line, or null to print nothing */
    Trace(PrintStream verbose) {
        this.verbose = verbose;
    }

    void log(long nanos, String line) {
        String stamped = formatTime(nanos) + " " + line;
        for (int i = 0; i < stamped.length(); i++) {
            hash ^= stamped.charAt(i);
            hash *= FNV_PRIME;
        }
        hash ^= '\n';
        hash *= FNV_PRIME;
        lines++;
        recent.addLast(stamped);
        if (recent.size() > KEPT) {
            recent.removeFirst();
        }
        if (verbose != null) {
            verbose.println(stamped);
        }
    }

    long hash() {
        return hash;
    }

    long lineCount() {
        return lines;
    }

    List<String> recentLines() {
        return new ArrayList<>(recent);
    }

    /** Virtual time as seconds with microseconds, e.g. {@code 3.141592s}: short and sortable. */
    static String formatTime(long nanos) {
        long micros = nanos / 1_000;
        return String.format(java.util.Locale.ROOT, "%d.%06ds", micros / 1_000_000, micros % 1_000_000);
    }
}
