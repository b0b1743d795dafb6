package pbkv.core;

/**
 * A proposal of a new configuration, by a candidate (a new primary) or by the primary itself (a
 * new in-sync set). {@code unsafe} is set only by an operator's forced promotion. A
 * {@code preVote} asks "would you?" without binding the voter: a candidate runs it first, so a
 * backup that merely missed heartbeats cannot depose a healthy primary by raising the epoch.
 */
public record VoteRequest(String from, long requestId, Configuration proposal, LogPosition candidateLast,
                          boolean unsafe, boolean preVote) implements PeerRequest {
}
