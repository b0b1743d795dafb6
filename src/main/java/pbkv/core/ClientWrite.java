package pbkv.core;

/** A client's put ({@code value != null}) or delete of {@code key}, with an optional If-Match version. */
public record ClientWrite(String key, String value, Long expectedVersion) {

    /** An expected version meaning "the key exists, whatever its version" (If-Match: *). */
    public static final long ANY_VERSION = -1;

    /** Whether a key at {@code current} (null if absent) meets this write's If-Match. */
    public boolean matches(Versioned current) {
        return expectedVersion == null
                || current != null && (expectedVersion == ANY_VERSION || current.version() == expectedVersion);
    }

    public static ClientWrite put(String key, String value) {
        return new ClientWrite(key, value, null);
    }

    public static ClientWrite delete(String key) {
        return new ClientWrite(key, null, null);
    }
}
