package pbkv.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The replicated state: the result of applying the log in order. Sorted so that prefix listings
 * are a range scan; concurrent so that local reads and listings need not take the replica's lock.
 * It counts the bytes of its keys and values as they change, so that the primary can hold it to
 * {@code kv.max-memory} without walking it ({@link #refusal}).
 */
public final class KeyValueStore {

    private final ConcurrentSkipListMap<String, Versioned> entries = new ConcurrentSkipListMap<>();
    /** UTF-8 bytes of every key and value held; changed only under the replica's lock. */
    private volatile long bytes;

    public Versioned get(String key) {
        return entries.get(key);
    }

    void apply(LogEntry entry) {
        if (entry.isDelete()) {
            Versioned old = entries.remove(entry.key());
            if (old != null) {
                bytes -= sizeBytes(entry.key(), old.value());
            }
        } else {
            put(entry.key(), new Versioned(entry.value(), entry.index()));
        }
    }

    /**
     * The memory bound, checked by the primary before it appends a client's put: why the put
     * would take the store past {@code maxKeys} keys or {@code maxBytes} bytes, or null if it may
     * go ahead. Only growth is refused: an overwrite that adds no key and no bytes past the bound
     * and every delete go through, so a full store can always be shrunk, also below a bound an
     * operator lowered at a restart. Backups never call this: they apply what the primary committed.
     */
    Outcome.StoreFull refusal(String key, String value, long maxKeys, long maxBytes) {
        Versioned current = entries.get(key);
        if (current == null && size() >= maxKeys) {
            return new Outcome.StoreFull(key, "kv.max-keys", maxKeys, "the store holds " + size()
                    + " keys, kv.max-keys=" + maxKeys + ": a new key is refused; overwrite or delete keys, or raise the bound");
        }
        long after = bytes + sizeBytes(key, value) - (current == null ? 0 : sizeBytes(key, current.value()));
        if (after > maxBytes && after > bytes) {
            return new Outcome.StoreFull(key, "kv.max-memory", maxBytes, "writing " + key + " would take the keys and values held to "
                    + after + " bytes, kv.max-memory=" + maxBytes + " bytes; delete keys or write smaller values, or raise the bound");
        }
        return null;
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

    /** The UTF-8 bytes of the keys and values held: what {@code kv.max-memory} bounds. */
    public long sizeBytes() {
        return bytes;
    }

    /** A point-in-time copy for a snapshot transfer; the caller holds the replica's lock. */
    List<SnapshotItem> copy() {
        List<SnapshotItem> items = new ArrayList<>(entries.size());
        entries.forEach((k, v) -> items.add(new SnapshotItem(k, v.value(), v.version())));
        return items;
    }

    /** One key of a snapshot read back at start-up. */
    void restore(SnapshotItem item) {
        put(item.key(), new Versioned(item.value(), item.version()));
    }

    void replaceWith(Map<String, Versioned> snapshot) {
        entries.clear();
        entries.putAll(snapshot);
        long total = 0;
        for (Map.Entry<String, Versioned> e : snapshot.entrySet()) {
            total += sizeBytes(e.getKey(), e.getValue().value());
        }
        bytes = total;
    }

    private void put(String key, Versioned value) {
        Versioned old = entries.put(key, value);
        bytes += sizeBytes(key, value.value()) - (old == null ? 0 : sizeBytes(key, old.value()));
    }

    /** What one key and its value count toward kv.max-memory: their UTF-8 bytes, as clients send them. */
    static long sizeBytes(String key, String value) {
        return utf8Length(key) + utf8Length(value);
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            // A surrogate pair is 4 bytes: 2 for each half.
            n += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }
}
