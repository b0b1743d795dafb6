package pbkv.core;

/**
 * One client write at a log position. A {@code null} value means the key was deleted. The entry's
 * index is also the key's version: unique across epochs because a new primary continues the log.
 */
public record LogEntry(long epoch, long index, String key, String value) {

    public LogEntry {
        if (index <= 0 || epoch <= 0) {
            throw new IllegalArgumentException("log entries start at epoch 1, index 1: " + epoch + ":" + index);
        }
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("log entry without a key");
        }
    }

    public LogPosition position() {
        return new LogPosition(epoch, index);
    }

    public boolean isDelete() {
        return value == null;
    }

    /** Rough payload size, used to bound batches; the JSON framing adds a constant per entry. */
    public long sizeBytes() {
        return 48L + key.length() + (value == null ? 0 : value.length());
    }
}
