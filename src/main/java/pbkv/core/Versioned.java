package pbkv.core;

/** A stored value and the log index that wrote it, which clients use as the version for If-Match. */
public record Versioned(String value, long version) {
}
