package pbkv.core;

/**
 * What a client operation came to. Expected outcomes are values; the web layer maps each to a
 * status code. {@link Unavailable#outcomeUnknown()} tells the client whether a failed write may
 * still take effect (it was replicated, and a new primary may commit it).
 */
public sealed interface Outcome {

    /** The key's value after the operation (a read, or a committed put). */
    record Value(String key, Versioned value) implements Outcome {
    }

    /** The key is absent (a read), or a committed delete removed it ({@code deleted}). */
    record NotFound(String key, boolean deleted) implements Outcome {
    }

    /** If-Match did not hold: {@code current} is the version seen, null when the key is absent. */
    record PreconditionFailed(String key, Long current) implements Outcome {
    }

    /** This node is not the primary; {@code primaryHint} is the one it follows, null if none. */
    record NotPrimary(String primaryHint) implements Outcome {
    }

    record Unavailable(String reason, boolean outcomeUnknown) implements Outcome {
    }

    /**
     * A put refused because it would take the store past {@code limit} ({@code kv.max-keys} or
     * {@code kv.max-memory}, whose value is {@code bound}); nothing was appended.
     */
    record StoreFull(String key, String limit, long bound, String reason) implements Outcome {
    }
}
