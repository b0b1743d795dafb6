package pbkv.persistence;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import pbkv.core.LogEntry;
import pbkv.core.LogPosition;
import pbkv.core.SnapshotItem;

/**
 * Builds a snapshot from files alone, never from the replica: the previous snapshot plus the
 * closed segments after it, replayed into a map, written to a temporary file. Closed segments no
 * longer change, so this needs no lock; installing the result does ({@link FileDurableLog}).
 */
final class SnapshotBuilder {

    /** What to build from: read under the log's lock, used without it. */
    record Plan(long generation, SnapshotFile base, List<SegmentFile> closedSegments, long lastIndex) {
    }

    /** A snapshot written under its temporary name, ready to install. */
    record Built(Path tmp, long generation, LogPosition position, long count) {
    }

    private SnapshotBuilder() {
    }

    static Built build(FileIo io, Path dir, Plan plan) throws IOException, CorruptFileException {
        Map<String, SnapshotItem> store = new HashMap<>();
        long baseIndex = 0;
        long epoch = 0;
        if (plan.base() != null) {
            baseIndex = plan.base().position().index();
            epoch = plan.base().position().epoch();
            plan.base().read(io, item -> store.put(item.key(), item));
        }
        for (SegmentFile segment : plan.closedSegments()) {
            try (SegmentReader reader = new SegmentReader(io, segment)) {
                for (LogEntry entry = reader.next(); entry != null && entry.index() <= plan.lastIndex(); entry = reader.next()) {
                    if (entry.index() <= baseIndex) {
                        continue;
                    }
                    if (entry.isDelete()) {
                        store.remove(entry.key());
                    } else {
                        store.put(entry.key(), new SnapshotItem(entry.key(), entry.value(), entry.index()));
                    }
                    epoch = entry.epoch();
                }
            }
        }
        LogPosition position = new LogPosition(epoch, plan.lastIndex());
        // Its own temporary name: a reset may write a snapshot at the same index meanwhile.
        Path tmp = SnapshotFile.writeTemporary(io, dir, ".building.tmp", plan.generation(), position, store.size(),
                store.values().iterator());
        return new Built(tmp, plan.generation(), position, store.size());
    }
}
