package pbkv.sim;

import java.time.Instant;
import pbkv.core.PeerReply;
import pbkv.core.PeerRequest;
import pbkv.core.ReplicateRequest;
import pbkv.core.SnapshotChunk;
import pbkv.core.VoteRequest;

/**
 * Peer requests and their replies through the {@link SimNetwork}: a request is handled by
 * whatever process runs at its destination when it arrives (held while that process is paused);
 * a reply goes back only to the incarnation that asked, since the connection it would travel on
 * died with that process.
 */
final class PeerMessaging {

    private final SimWorld world;

    PeerMessaging(SimWorld world) {
        this.world = world;
    }

    void send(String from, int incarnation, String to, PeerRequest request) {
        SimNode sender = world.node(from);
        if (sender.state == SimNode.State.CRASHED || sender.incarnation != incarnation) {
            return; // made in a step the power failed during: the process died before it could send
        }
        for (long delay : fates(from, to, request)) {
            world.queue().after(delay, () -> deliverRequest(from, incarnation, world.node(to), request));
        }
    }

    private void deliverRequest(String from, int fromIncarnation, SimNode to, PeerRequest request) {
        if (world.network().isCut(from, to.id)) {
            world.log("cut   " + from + ">" + to.id + " " + Messages.describe(request));
            return;
        }
        world.arrive(to, () -> world.guarded(to, () -> {
            world.log("recv  " + from + ">" + to.id + " " + Messages.describe(request));
            Instant now = world.now(to);
            PeerReply reply;
            if (request instanceof ReplicateRequest r) {
                reply = to.replica.onReplicate(r, now);
            } else if (request instanceof SnapshotChunk c) {
                reply = to.replica.onSnapshot(c, now);
            } else {
                reply = to.replica.onVote((VoteRequest) request, now);
            }
            for (long delay : fates(to.id, from, reply)) {
                world.queue().after(delay, () -> deliverReply(to.id, world.node(from), fromIncarnation, reply));
            }
        }));
    }

    private void deliverReply(String from, SimNode to, int incarnation, PeerReply reply) {
        if (world.network().isCut(from, to.id)) {
            world.log("cut   " + from + ">" + to.id + " " + Messages.describe(reply));
            return;
        }
        world.arrive(to, () -> {
            if (to.incarnation != incarnation) {
                return; // the connection died with the process that asked
            }
            world.log("recv  " + from + ">" + to.id + " " + Messages.describe(reply));
            world.guarded(to, () -> to.replica.onReply(reply, world.now(to)));
        });
    }

    private long[] fates(String from, String to, Object message) {
        long[] delays = world.network().fates(from, to);
        if (delays.length == 0) {
            world.log("lost  " + from + ">" + to + " " + Messages.describe(message));
        } else if (delays.length > 1) {
            world.log("dup   " + from + ">" + to + " " + Messages.describe(message));
        }
        return delays;
    }
}
