package pbkv.core;

/** A vote: granted or refused with the reason and the voter's latest accepted configuration. */
public record VoteReply(String from, long requestId, long proposalEpoch, boolean granted, String reason,
                        Configuration config) implements PeerReply {
}
