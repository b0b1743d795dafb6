package pbkv.core;

import java.util.List;

/**
 * Where a data node keeps its store and log across restarts (disk mode). Entries are written
 * before the node acknowledges them: to the operating system, which survives a process crash
 * (kill -9); to the device only with fsync, which also survives a power loss. Failures are
 * thrown: a node that cannot persist must not acknowledge.
 */
public interface DurableLog {

    /** What survived a restart: a snapshot (store at {@code base}) and the entries after it. */
    record Recovery(LogPosition base, List<SnapshotItem> snapshot, List<LogEntry> entries) {
        public boolean isEmpty() {
            return base.equals(LogPosition.ZERO) && snapshot.isEmpty() && entries.isEmpty();
        }
    }

    Recovery recover();

    /** Appends entries in log order; durable (to the configured level) when this returns. */
    void append(List<LogEntry> entries);

    /** Replaces everything with a snapshot at {@code position} (after a snapshot catch-up). */
    void reset(LogPosition position, List<SnapshotItem> items);

    /** Memory mode: nothing survives a restart, so a restarted node is stale until caught up. */
    DurableLog NONE = new DurableLog() {
        @Override
        public Recovery recover() {
            return new Recovery(LogPosition.ZERO, List.of(), List.of());
        }

        @Override
        public void append(List<LogEntry> entries) {
        }

        @Override
        public void reset(LogPosition position, List<SnapshotItem> items) {
        }
    };
}
