package pbkv.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import pbkv.core.LogPosition;
import pbkv.core.Replica;
import pbkv.core.Versioned;

/**
 * Every write a client appended (its log position, read off the primary right after the call)
 * and every write a client got acknowledged, to answer: does this replica's store reflect the
 * latest acknowledged write of each key, or a write that came after it?
 *
 * <p>"After" is judged by log position: the store's version is the index of the write that set
 * it, and values are unique per write, so the position of the write behind a stored value is
 * known. A later write must have a higher index and come from the same or a newer epoch; a
 * store holding the key at the acknowledged version must hold the acknowledged value, and an
 * absent key must have been deleted by a later delete. This cannot see every branch of the
 * log, but any write a failover lost shows up here or in the checker's verdict.
 */
final class AckLedger {

    /** An acknowledged write; {@code value == null} for a delete. */
    record Write(String key, String value, LogPosition position, String node, long ackEpoch) {
        @Override
        public String toString() {
            return (value == null ? "delete " + key : "put " + key + "=" + value) + " at " + position + " acknowledged by "
                    + node + " in epoch " + ackEpoch;
        }
    }

    private final Map<String, LogPosition> putAt = new HashMap<>();
    private final Map<String, List<LogPosition>> deletesOf = new HashMap<>();
    /** Per key, in acknowledgement order; sorted by key so that reports come in a stable order. */
    private final Map<String, List<Write>> acked = new TreeMap<>();
    private final Map<Long, Write> byIndex = new HashMap<>();
    private long count;

    void appended(String key, String value, LogPosition position) {
        if (value == null) {
            deletesOf.computeIfAbsent(key, k -> new ArrayList<>()).add(position);
        } else {
            putAt.put(value, position);
        }
    }

    /** Records an acknowledgement; returns a violation when two acknowledged writes share an index. */
    String acknowledged(String key, String value, LogPosition position, String node, long epoch) {
        count++;
        Write w = new Write(key, value, position, node, epoch);
        Write sameIndex = byIndex.putIfAbsent(position.index(), w);
        if (sameIndex != null && !sameIndex.position().equals(position)) {
            return "two acknowledged writes at index " + position.index() + ": " + sameIndex + " and " + w;
        }
        acked.computeIfAbsent(key, k -> new ArrayList<>()).add(w);
        return null;
    }

    long count() {
        return count;
    }

    /**
     * The first write acknowledged in an epoch before {@code epoch} that {@code replica} lacks,
     * described, or null. Only older epochs count: a node that wins a stale proposal (an epoch
     * the cluster has since moved past) owes nothing to newer primaries, and is fenced by them.
     */
    String missingFrom(Replica replica, long epoch) {
        for (String key : acked.keySet()) {
            String missing = missingFrom(replica, key, epoch);
            if (missing != null) {
                return missing;
            }
        }
        return null;
    }

    String missingFrom(Replica replica, String key, long epoch) {
        Write w = null;
        for (Write candidate : acked.getOrDefault(key, List.of())) {
            if (candidate.ackEpoch() < epoch && (w == null || candidate.position().index() > w.position().index())) {
                w = candidate;
            }
        }
        if (w == null) {
            return null;
        }
        long index = w.position().index();
        Versioned current = replica.readLocal(key);
        if (current == null) {
            if (w.value() == null || laterDelete(key, w)) {
                return null;
            }
            return w + ", but the key is absent on " + replica.nodeId();
        }
        if (current.version() == index) {
            return current.value().equals(w.value()) ? null
                    : w + ", but " + replica.nodeId() + " holds " + current + " at the same version";
        }
        if (current.version() < index) {
            return w + ", but " + replica.nodeId() + " holds the older " + current;
        }
        LogPosition x = putAt.get(current.value());
        if (x == null || x.index() != current.version()) {
            return w + ", but " + replica.nodeId() + " holds " + current + ", which was appended at " + x;
        }
        if (x.epoch() < w.position().epoch()) {
            return w + ", but " + replica.nodeId() + " holds " + current + ", appended at " + x + " by an older epoch";
        }
        return null;
    }

    private boolean laterDelete(String key, Write w) {
        for (LogPosition d : deletesOf.getOrDefault(key, List.of())) {
            if (d.index() > w.position().index() && d.epoch() >= w.position().epoch()) {
                return true;
            }
        }
        return false;
    }
}
