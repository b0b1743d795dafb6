package pbkv.core;

/** One key of a snapshot transfer. */
public record SnapshotItem(String key, String value, long version) {

    /** Rough payload size, used to bound chunks like {@link LogEntry#sizeBytes()} bounds batches. */
    public long sizeBytes() {
        return 32L + key.length() + (value == null ? 0 : value.length());
    }
}
