package pbkv.core;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A log told as epoch runs: each position is the first of a run of entries written in one epoch
 * (the first is where the retained log starts). Epochs only grow along a log, and one primary
 * writes each epoch, so two logs that hold the same epoch at an index hold the same entries up to
 * it. A primary sends its history with a snapshot so that a node it replaces can tell which of
 * its own entries the primary never had (Kafka's leader-epoch cache answers the same question).
 */
public record EpochHistory(List<LogPosition> starts) {

    /** Runs kept: a log with more epochs than this tells only its latest ones. */
    static final int MAX_RUNS = 256;

    public static final EpochHistory UNKNOWN = new EpochHistory(List.of());

    public EpochHistory {
        starts = starts == null ? List.of() : List.copyOf(starts);
    }

    /** The epoch of this log's entry at {@code index}, empty when the history does not reach back to it. */
    public OptionalLong epochAt(long index) {
        for (int i = starts.size() - 1; i >= 0; i--) {
            if (starts.get(i).index() <= index) {
                return OptionalLong.of(starts.get(i).epoch());
            }
        }
        return OptionalLong.empty();
    }

    /** The runs of {@code log}, found by binary search: a few per epoch, not one per entry. */
    static EpochHistory of(ReplicationLog log) {
        List<LogPosition> starts = new ArrayList<>();
        starts.add(log.base());
        long epoch = log.base().epoch();
        long from = log.base().index() + 1;
        long last = log.lastIndex();
        while (from <= last) {
            long lo = from;
            long hi = last + 1;
            while (lo < hi) {
                long mid = (lo + hi) >>> 1;
                if (log.entryAt(mid).epoch() > epoch) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            if (lo > last) {
                break;
            }
            LogPosition start = log.entryAt(lo).position();
            starts.add(start);
            epoch = start.epoch();
            from = lo + 1;
        }
        int size = starts.size();
        return new EpochHistory(size > MAX_RUNS ? starts.subList(size - MAX_RUNS, size) : starts);
    }
}
