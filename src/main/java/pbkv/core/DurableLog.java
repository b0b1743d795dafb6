package pbkv.core;

import java.util.List;

/**
 * Where a data node keeps its store and log across restarts (disk mode). Entries are written
 * before the node acknowledges them: to the operating system, which survives a process crash
 * (kill -9), and with an fsync policy also to the device, which survives a power loss.
 *
 * <p>Failures are thrown as {@link StorageException}: a node that cannot persist must not
 * acknowledge. A failed {@link #append} leaves no partial record behind: the log is as it was
 * before the call, and a later call may succeed (a full disk that was freed).
 */
public interface DurableLog {

    /** Receives what a start-up reads, streamed in order: the snapshot, then each entry after it. */
    interface RecoverySink {
        /** Called once, first: the position the snapshot was taken at ({@link LogPosition#ZERO} for none). */
        void base(LogPosition base);

        void snapshotItem(SnapshotItem item);

        /** Each entry after the base, in log order, indices consecutive. */
        void entry(LogEntry entry);
    }

    /**
     * Reads what survived into {@code sink}. Returns whether this storage held data written
     * before (a snapshot or a log segment): false for a new data dir, and always for memory mode.
     * A node whose vote survived but whose data did not must not count itself intact.
     */
    boolean recover(RecoverySink sink);

    /** Appends entries in log order; durable (to the configured fsync level) when this returns. */
    void append(List<LogEntry> entries);

    /** Replaces everything with a snapshot at {@code position} (a snapshot catch-up from the primary). */
    void reset(LogPosition position, List<SnapshotItem> items);

    /**
     * Writes and syncs a little data beside the log, and removes it: whether the disk takes
     * writes again after a failure, for a node that has no entry to write (a lone node, or one
     * nobody sends to). Throws {@link StorageException} while it does not.
     */
    default void probe() {
    }

    /** Memory mode: nothing survives a restart, so a restarted node is stale until caught up. */
    DurableLog NONE = new DurableLog() {
        @Override
        public boolean recover(RecoverySink sink) {
            sink.base(LogPosition.ZERO);
            return false;
        }

        @Override
        public void append(List<LogEntry> entries) {
        }

        @Override
        public void reset(LogPosition position, List<SnapshotItem> items) {
        }
    };
}
