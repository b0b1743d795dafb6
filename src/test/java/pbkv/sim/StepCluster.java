package pbkv.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import pbkv.core.Member;
import pbkv.core.Outcome;
import pbkv.core.PeerReply;
import pbkv.core.Replica;
import pbkv.core.ReplicaListener;
import pbkv.core.ReplicaSettings;
import pbkv.core.ReplicateRequest;
import pbkv.core.SnapshotChunk;
import pbkv.core.VoteRequest;
import pbkv.core.VoterStore;

/**
 * A hand-driven cluster for scripted scenarios (a bug's minimal trace): primary, backup and
 * witness with the sweep's timings, synchronous delivery, a 10 ms step, directed cuts, and a
 * clock offset per node that a test can jump forward.
 */
final class StepCluster {

    record Envelope(String from, String to, Object message) {
    }

    final Deque<Envelope> outbox = new ArrayDeque<>();
    private final Map<String, Replica> replicas = new LinkedHashMap<>();
    private final Map<String, Duration> offsets = new HashMap<>();
    private final Set<String> cut = new HashSet<>();
    private Instant global = Instant.parse("2026-01-01T00:00:00Z");
    String down = "";

    StepCluster() {
        List<Member> members = List.of(new Member("primary", false), new Member("backup", false), new Member("witness", true));
        for (Member m : members) {
            ReplicaSettings s = ReplicaSettings.defaults(m.id(), members, "primary")
                    .withTimings(SimConfig.HEARTBEAT, SimConfig.FAILURE_TIMEOUT, SimConfig.LEASE)
                    .withTimeouts(SimConfig.REPLICATION_TIMEOUT, SimConfig.WRITE_TIMEOUT)
                    .withBatchLimits(16, 1L << 20).withLogRetention(1_000).withSnapshotChunkEntries(16).withMaxPendingOperations(64);
            offsets.put(m.id(), Duration.ZERO);
            replicas.put(m.id(), new Replica(s, (to, r) -> outbox.add(new Envelope(m.id(), to, r)), new VoterStore.InMemory(),
                    new Random(1), ReplicaListener.NONE, global));
        }
    }

    Replica node(String id) {
        return replicas.get(id);
    }

    /** Node {@code id}'s own clock. */
    Instant now(String id) {
        return global.plus(offsets.get(id));
    }

    void jumpClock(String id, Duration forward) {
        offsets.put(id, offsets.get(id).plus(forward));
    }

    void cut(String from, String to) {
        cut.add(from + ">" + to);
    }

    void runFor(Duration d) {
        Instant end = global.plus(d);
        while (global.isBefore(end)) {
            step();
            deliverAll();
        }
    }

    /** Advances 10 ms and ticks every running node, delivering nothing yet. */
    void step() {
        global = global.plusMillis(10);
        replicas.forEach((id, r) -> {
            if (!id.equals(down)) {
                r.tick(now(id));
            }
        });
    }

    /** A client call at {@code id}, with every message it causes delivered. */
    Outcome put(String id, String key, String value) {
        CompletableFuture<Outcome> f = node(id).write(key, value, null, now(id));
        deliverAll();
        return f.getNow(null);
    }

    Outcome get(String id, String key) {
        CompletableFuture<Outcome> f = node(id).read(key, now(id));
        deliverAll();
        return f.getNow(null);
    }

    void deliverAll() {
        while (!outbox.isEmpty()) {
            Envelope e = outbox.poll();
            if (e.to().equals(down) || e.from().equals(down) || cut.contains(e.from() + ">" + e.to())) {
                continue;
            }
            Replica target = replicas.get(e.to());
            Instant at = now(e.to());
            Object reply = null;
            if (e.message() instanceof ReplicateRequest r) {
                reply = target.onReplicate(r, at);
            } else if (e.message() instanceof SnapshotChunk s) {
                reply = target.onSnapshot(s, at);
            } else if (e.message() instanceof VoteRequest v) {
                reply = target.onVote(v, at);
            } else if (e.message() instanceof PeerReply r) {
                target.onReply(r, at);
            }
            if (reply != null) {
                outbox.add(new Envelope(e.to(), e.from(), reply));
            }
        }
    }

    /** The messages waiting, for a test that wants to deliver them by hand. */
    List<Envelope> pending() {
        return new ArrayList<>(outbox);
    }
}
