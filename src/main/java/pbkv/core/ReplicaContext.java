package pbkv.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What every part of one replica shares: who it is, its settings, its log and store, its vote,
 * its counters and events, and the step being built. The parts each own their own state; this
 * holds only what none of them owns alone. Used under the replica's lock only.
 */
final class ReplicaContext {

    final ReplicaSettings settings;
    final String me;
    final boolean witness;
    final ReplicaStats stats = new ReplicaStats();
    final ReplicationLog log;
    final KeyValueStore store = new KeyValueStore();
    final Voter voter;
    final ReplicaListener listener;
    final EventLog events;
    /** What the current step makes: writes, requests, outcomes. */
    final Ready.Builder step = new Ready.Builder();
    private long nextRequestId = 1;

    ReplicaContext(ReplicaSettings settings, Voter voter, ReplicaListener listener) {
        this.settings = settings;
        this.me = settings.nodeId();
        this.witness = settings.isWitness(me);
        this.log = new ReplicationLog(settings.logRetention());
        this.voter = voter;
        this.listener = listener;
        this.events = new EventLog(listener);
    }

    /** A new id for a request this node sends: a reply names it, so ids are never reused. */
    long newRequestId() {
        return nextRequestId++;
    }

    /** The id the next request will get: replies to anything older answer an earlier question. */
    long nextRequestId() {
        return nextRequestId;
    }

    void event(Instant now, String kind, String line) {
        events.add(now, kind, line);
    }

    /** A reply naming this node's last position and the configuration it accepted last. */
    ReplicateReply reply(long requestId, ReplicateReply.Status status, long matched) {
        return new ReplicateReply(me, requestId, status, matched, log.last(), voter.config());
    }

    /** Time since {@code since}; "never" counts as a year, longer than any timeout. */
    static Duration elapsed(Instant since, Instant now) {
        return since == null ? Duration.ofDays(365) : Duration.between(since, now);
    }

    static List<String> sorted(Set<String> ids) {
        return ids.stream().sorted().toList();
    }
}
