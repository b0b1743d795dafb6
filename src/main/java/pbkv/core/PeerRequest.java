package pbkv.core;

/**
 * A message one node sends another. Every request carries the sender's id and a request id
 * that the reply echoes, so the sender can tell a reply to its latest request from a late one.
 */
public sealed interface PeerRequest permits ReplicateRequest, SnapshotChunk, VoteRequest {
    String from();

    long requestId();
}
