package pbkv.core;

/** A client's put ({@code value != null}) or delete of {@code key}, with an optional If-Match version. */
public record ClientWrite(String key, String value, Long expectedVersion) {

    public static ClientWrite put(String key, String value) {
        return new ClientWrite(key, value, null);
    }

    public static ClientWrite delete(String key) {
        return new ClientWrite(key, null, null);
    }
}
