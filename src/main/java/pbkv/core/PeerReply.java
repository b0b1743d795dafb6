package pbkv.core;

/** The answer to a {@link PeerRequest}, delivered back to the sender's {@link Replica#onReply}. */
public sealed interface PeerReply permits ReplicateReply, VoteReply {
    String from();

    long requestId();
}
