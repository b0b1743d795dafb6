package pbkv.check;

/**
 * Kinds of operations known to the models. A Jepsen register's read, write and cas map to
 * {@link #GET}, {@link #PUT} and {@link #CAS}.
 */
public enum OpType {
    GET, PUT, APPEND, DELETE, CAS;

    /** The lower-case name used in history files and explanations. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
