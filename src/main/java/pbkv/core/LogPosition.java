package pbkv.core;

/**
 * A place in the replicated log: the epoch of the primary that wrote the entry and its index.
 * Index 0 with epoch 0 is the empty log.
 */
public record LogPosition(long epoch, long index) implements Comparable<LogPosition> {

    public static final LogPosition ZERO = new LogPosition(0, 0);

    public LogPosition {
        if (epoch < 0 || index < 0) {
            throw new IllegalArgumentException("negative log position " + epoch + ":" + index);
        }
    }

    @Override
    public int compareTo(LogPosition other) {
        int byEpoch = Long.compare(epoch, other.epoch);
        return byEpoch != 0 ? byEpoch : Long.compare(index, other.index);
    }

    @Override
    public String toString() {
        return epoch + ":" + index;
    }
}
