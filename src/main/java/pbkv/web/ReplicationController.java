package pbkv.web;

import java.time.Clock;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import pbkv.core.LogEntry;
import pbkv.core.Replica;
import pbkv.core.ReplicateReply;
import pbkv.core.ReplicateRequest;
import pbkv.core.SnapshotChunk;
import pbkv.core.VoteReply;
import pbkv.core.VoteRequest;
import pbkv.peer.MembershipAgreement;
import tools.jackson.databind.ObjectMapper;

/** Peer endpoints: translate HTTP to the replica's inputs and its answers back; no protocol here. */
@RestController
@io.swagger.v3.oas.annotations.Hidden // peers only: not part of the client API the OpenAPI spec describes
class ReplicationController {

    private final Replica replica;
    private final Clock clock;
    private final ObjectMapper json;
    private final MembershipAgreement membership;

    ReplicationController(Replica replica, Clock clock, ObjectMapper json, MembershipAgreement membership) {
        this.replica = replica;
        this.clock = clock;
        this.json = json;
        this.membership = membership;
    }

    @PostMapping("/replicate")
    ResponseEntity<?> replicate(@RequestBody ReplicateRequest request) {
        require(request.from() != null && request.config() != null && request.prev() != null && request.entries() != null,
                "a replicate request needs from, config, prev and entries");
        for (LogEntry e : request.entries()) {
            require(e != null, "null log entry");
        }
        requireMember(request.from());
        return answer(replica.onReplicate(request, clock.instant()));
    }

    @PostMapping("/replicate/snapshot")
    ResponseEntity<?> snapshot(@RequestBody SnapshotChunk chunk) {
        require(chunk.from() != null && chunk.config() != null && chunk.position() != null && chunk.items() != null,
                "a snapshot chunk needs from, config, position and items");
        requireMember(chunk.from());
        return answer(replica.onSnapshot(chunk, clock.instant()));
    }

    @PostMapping("/replicate/vote")
    VoteReply vote(@RequestBody VoteRequest request) {
        require(request.from() != null && request.proposal() != null && request.candidateLast() != null,
                "a vote request needs from, proposal and candidateLast");
        require(request.proposal().primary() != null, "a proposal names its primary");
        requireMember(request.from());
        return replica.onVote(request, clock.instant());
    }

    /**
     * A stale epoch is a 409 problem that still carries the reply: the sender learns its successor.
     * Any other reply is serialized here rather than by the message converter, which streams JSON
     * and flushes: the reply then went out chunked, in two writes (the body, then the last chunk).
     * As bytes it goes out with its Content-Length in one write, for every batch a backup acks.
     */
    private ResponseEntity<?> answer(ReplicateReply reply) {
        if (reply.status() != ReplicateReply.Status.STALE_EPOCH) {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json.writeValueAsBytes(reply));
        }
        return Problems.response(HttpStatus.CONFLICT).body(Problems.problem(HttpStatus.CONFLICT, "Stale epoch",
                "this node promised epoch " + reply.config().epoch() + " (primary " + reply.config().primary()
                        + "): requests of older epochs are refused",
                Map.of("epoch", reply.config().epoch(), "reply", reply)));
    }

    /** A peer message from a node that is not another configured member is refused before the replica sees it. */
    private void requireMember(String from) {
        if (!membership.isPeer(from)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "Unknown member",
                    "the sender " + from + " is not another member of this node's cluster.members", Map.of("from", from));
        }
    }

    private static void require(boolean condition, String detail) {
        if (!condition) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Malformed body", detail);
        }
    }
}
