package pbkv.core;

import java.util.List;

/**
 * Part {@code sequence} of the primary's store as of {@code position}, for a backup too far behind
 * (or divergent) to catch up from the log. The last chunk replaces the backup's store and log;
 * {@code history} tells the backup which of its own entries the primary never had.
 */
public record SnapshotChunk(String from, long requestId, Configuration config, long snapshotId,
                            LogPosition position, int sequence, List<SnapshotItem> items, boolean last,
                            long commitIndex, EpochHistory history) implements PeerRequest {
    public SnapshotChunk {
        items = List.copyOf(items);
        history = history == null ? EpochHistory.UNKNOWN : history;
    }
}
