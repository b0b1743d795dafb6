package pbkv.sim;

import pbkv.core.ReplicateReply;
import pbkv.core.ReplicateRequest;
import pbkv.core.SnapshotChunk;
import pbkv.core.VoteReply;
import pbkv.core.VoteRequest;

/** Short, deterministic descriptions of peer messages for the trace. */
final class Messages {

    private Messages() {
    }

    static String describe(Object message) {
        if (message instanceof ReplicateRequest r) {
            String range = r.entries().isEmpty() ? "heartbeat"
                    : r.entries().get(0).index() + ".." + r.entries().get(r.entries().size() - 1).index();
            return "replicate#" + r.requestId() + " e" + r.config().epoch() + " prev=" + r.prev() + " " + range
                    + " commit=" + r.commitIndex();
        }
        if (message instanceof SnapshotChunk c) {
            return "snapshot#" + c.requestId() + " e" + c.config().epoch() + " at=" + c.position() + " seq=" + c.sequence()
                    + (c.last() ? " last" : "");
        }
        if (message instanceof VoteRequest v) {
            return (v.preVote() ? "pre-vote#" : "vote#") + v.requestId() + " " + v.proposal() + " last=" + v.candidateLast();
        }
        if (message instanceof ReplicateReply r) {
            return "ack#" + r.requestId() + " " + r.status() + " matched=" + r.matched() + " last=" + r.last()
                    + " e" + r.config().epoch();
        }
        if (message instanceof VoteReply v) {
            return "vote-reply#" + v.requestId() + " e" + v.proposalEpoch() + (v.granted() ? " granted" : " refused: " + v.reason());
        }
        return String.valueOf(message);
    }
}
