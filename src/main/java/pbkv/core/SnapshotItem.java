package pbkv.core;

/** One key of a snapshot transfer. */
public record SnapshotItem(String key, String value, long version) {
}
