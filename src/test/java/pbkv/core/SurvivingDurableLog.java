package pbkv.core;

import java.util.ArrayList;
import java.util.List;

/** Disk mode for simulations: what was appended survives a simulated crash and restart. */
final class SurvivingDurableLog implements DurableLog {
    private LogPosition base = LogPosition.ZERO;
    private List<SnapshotItem> snapshot = List.of();
    private final List<LogEntry> entries = new ArrayList<>();
    private boolean written;
    private boolean failing;

    /** While set, every write fails as a full disk or EIO would, and leaves nothing behind. */
    void failWrites(boolean fail) {
        this.failing = fail;
    }

    LogPosition last() {
        return entries.isEmpty() ? base : entries.get(entries.size() - 1).position();
    }

    @Override
    public boolean recover(RecoverySink sink) {
        sink.base(base);
        snapshot.forEach(sink::snapshotItem);
        entries.forEach(sink::entry);
        boolean hadData = written;
        written = true; // a real data dir holds its first segment from the first start on
        return hadData;
    }

    @Override
    public void append(List<LogEntry> appended) {
        if (failing) {
            throw new StorageException("simulated: no space left on device");
        }
        entries.addAll(appended);
    }

    @Override
    public void probe() {
        if (failing) {
            throw new StorageException("simulated: no space left on device");
        }
    }

    @Override
    public void reset(LogPosition position, List<SnapshotItem> items) {
        if (failing) {
            throw new StorageException("simulated: no space left on device");
        }
        base = position;
        snapshot = List.copyOf(items);
        entries.clear();
    }
}
