package pbkv.core;

/**
 * A backup's answer to a replicate or snapshot request. {@code matched} is the index up to which
 * its log is known to equal the primary's; {@code last} is its own last position; {@code config}
 * its latest accepted configuration (a fenced primary learns its successor from it).
 */
public record ReplicateReply(String from, long requestId, Status status, long matched, LogPosition last,
                             Configuration config) implements PeerReply {

    public enum Status {
        /** Applied (or already had) everything sent. */
        OK,
        /** The request's prev position is not in this log: resend from {@code last}, or a snapshot. */
        MISMATCH,
        /** The request's epoch is older than this node's promise: the sender has been deposed. */
        STALE_EPOCH,
        /** This node could not write the entries to its disk: it applied and acknowledges none of them. */
        STORAGE_FAILED
    }
}
