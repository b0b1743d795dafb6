package pbkv.persistence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import pbkv.core.DurableLog;
import pbkv.core.LogEntry;
import pbkv.core.LogPosition;
import pbkv.core.SnapshotItem;

/** A recovery sink for tests: what a start-up read, and the store it adds up to. */
final class Recovered implements DurableLog.RecoverySink {

    LogPosition base;
    final List<SnapshotItem> items = new ArrayList<>();
    final List<LogEntry> entries = new ArrayList<>();

    @Override
    public void base(LogPosition position) {
        base = position;
    }

    @Override
    public void snapshotItem(SnapshotItem item) {
        items.add(item);
    }

    @Override
    public void entry(LogEntry entry) {
        entries.add(entry);
    }

    /** Key to value, as the replica's store would hold it after this recovery. */
    Map<String, String> store() {
        Map<String, String> store = new HashMap<>();
        items.forEach(i -> store.put(i.key(), i.value()));
        entries.forEach(e -> {
            if (e.isDelete()) {
                store.remove(e.key());
            } else {
                store.put(e.key(), e.value());
            }
        });
        return store;
    }

    long lastIndex() {
        return entries.isEmpty() ? base.index() : entries.get(entries.size() - 1).index();
    }

    static Recovered from(FileDurableLog log) {
        Recovered recovered = new Recovered();
        log.recover(recovered);
        return recovered;
    }

    /** Entries {@code from..to} in epoch 1, over {@code keys} keys, every seventh a delete. */
    static List<LogEntry> entries(long from, long to, int keys) {
        return LongStream.rangeClosed(from, to)
                .mapToObj(i -> new LogEntry(1, i, "key-" + (i % keys), i % 7 == 0 ? null : "value-" + i))
                .toList();
    }

    /** The store that entries 1..to of {@link #entries} add up to. */
    static Map<String, String> storeAfter(long to, int keys) {
        Recovered r = new Recovered();
        r.base = LogPosition.ZERO;
        r.entries.addAll(entries(1, to, keys));
        return r.store();
    }
}
