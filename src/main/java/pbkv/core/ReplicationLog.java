package pbkv.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The tail of the replicated log kept in memory for catch-up: entries after {@code base}, at
 * most {@code retention} of them. A backup further behind than the retained tail gets a snapshot.
 */
final class ReplicationLog {

    private final int retention;
    private LogPosition base = LogPosition.ZERO;
    private LogEntry[] ring;
    private int head; // array slot of the entry at base.index + 1
    private int size;

    ReplicationLog(int retention) {
        if (retention < 1) {
            throw new IllegalArgumentException("log retention must be at least 1");
        }
        this.retention = retention;
        this.ring = new LogEntry[Math.min(retention, 1024)];
    }

    LogPosition last() {
        return size == 0 ? base : entryAt(base.index() + size).position();
    }

    long lastIndex() {
        return base.index() + size;
    }

    /** The position just before the first retained entry (the snapshot the tail starts from). */
    LogPosition base() {
        return base;
    }

    void append(LogEntry entry) {
        if (entry.index() != lastIndex() + 1) {
            throw new IllegalStateException("log append out of order: " + entry.position() + " after " + last());
        }
        if (size == ring.length) {
            if (size == retention) {
                dropOldest();
            } else {
                grow();
            }
        }
        ring[(head + size) % ring.length] = entry;
        size++;
    }

    /** Whether this log holds {@code position} exactly (or it is the base it starts from). */
    boolean contains(LogPosition position) {
        if (position.equals(base)) {
            return true;
        }
        LogEntry e = entryAt(position.index());
        return e != null && e.epoch() == position.epoch();
    }

    /** The entry at {@code index}, or null when it is not retained or not written yet. */
    LogEntry entryAt(long index) {
        long offset = index - base.index() - 1;
        if (offset < 0 || offset >= size) {
            return null;
        }
        return ring[(int) ((head + offset) % ring.length)];
    }

    LogPosition positionAt(long index) {
        if (index == base.index()) {
            return base;
        }
        LogEntry e = entryAt(index);
        return e == null ? null : e.position();
    }

    /** Entries from {@code fromIndex}, bounded in count and bytes (at least one if any exist). */
    List<LogEntry> slice(long fromIndex, int maxEntries, long maxBytes) {
        List<LogEntry> out = new ArrayList<>();
        long bytes = 0;
        for (long i = fromIndex; i <= lastIndex() && out.size() < maxEntries; i++) {
            LogEntry e = entryAt(i);
            if (e == null) {
                break;
            }
            bytes += e.sizeBytes();
            if (!out.isEmpty() && bytes > maxBytes) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    /** Forget every entry: the store was replaced by a snapshot taken at {@code position}. */
    void resetTo(LogPosition position) {
        base = position;
        head = 0;
        size = 0;
        ring = new LogEntry[Math.min(retention, 1024)];
    }

    private void dropOldest() {
        LogEntry oldest = ring[head];
        ring[head] = null;
        head = (head + 1) % ring.length;
        size--;
        base = oldest.position();
    }

    private void grow() {
        LogEntry[] bigger = new LogEntry[(int) Math.min((long) ring.length * 2, retention)];
        for (int i = 0; i < size; i++) {
            bigger[i] = ring[(head + i) % ring.length];
        }
        ring = bigger;
        head = 0;
    }
}
