package pbkv.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The replicated state: the result of applying the log in order. Sorted so that prefix listings
 * are a range scan; concurrent so that local reads and listings need not take the replica's lock.
 */
public final class KeyValueStore {

    private final ConcurrentSkipListMap<String, Versioned> entries = new ConcurrentSkipListMap<>();

    public Versioned get(String key) {
        return entries.get(key);
    }

    void apply(LogEntry entry) {
        if (entry.isDelete()) {
            entries.remove(entry.key());
        } else {
            entries.put(entry.key(), new Versioned(entry.value(), entry.index()));
        }
    }

    /** Keys starting with {@code prefix}, in order, at most {@code limit} of them. */
    public List<Map.Entry<String, Versioned>> scan(String prefix, int limit) {
        NavigableMap<String, Versioned> range = prefix.isEmpty()
                ? entries
                : entries.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
        List<Map.Entry<String, Versioned>> result = new ArrayList<>(Math.min(limit, 1024));
        for (Map.Entry<String, Versioned> e : range.entrySet()) {
            if (result.size() >= limit) {
                break;
            }
            result.add(Map.entry(e.getKey(), e.getValue()));
        }
        return result;
    }

    public int size() {
        return entries.size();
    }

    /** A point-in-time copy for a snapshot transfer; the caller holds the replica's lock. */
    List<SnapshotItem> copy() {
        List<SnapshotItem> items = new ArrayList<>(entries.size());
        entries.forEach((k, v) -> items.add(new SnapshotItem(k, v.value(), v.version())));
        return items;
    }

    /** One key of a snapshot read back at start-up. */
    void restore(SnapshotItem item) {
        entries.put(item.key(), new Versioned(item.value(), item.version()));
    }

    void replaceWith(Map<String, Versioned> snapshot) {
        entries.clear();
        entries.putAll(snapshot);
    }
}
