package pbkv.core;

/**
 * The durable log or the vote could not be written or read (disk full, EIO, a corrupt file).
 * The node must not acknowledge what it failed to persist; the replica turns it into a step-down
 * and an unhealthy state, not a crash.
 */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
