package pbkv.persistence;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import pbkv.core.DurableLog.RecoverySink;
import pbkv.core.LogEntry;
import pbkv.core.LogPosition;
import pbkv.core.StorageException;

/**
 * Reads a data dir back at start-up: the newest readable snapshot of the newest generation, then
 * the log after it, streamed to the sink one item and one entry at a time. Cuts a torn record off
 * the end of the last segment (a crash mid-write, never acknowledged); refuses anything else that
 * is not what was written, since guessing could bring back or lose acknowledged writes.
 */
final class LogRecovery {

    private static final System.Logger LOG = System.getLogger("pbkv.persistence");

    /** What recovery found: the files of the current generation and the index the next append must have. */
    record Result(boolean hadData, long generation, TreeMap<Long, SnapshotFile> snapshots, TreeMap<Long, SegmentFile> segments,
                  long nextIndex) {
    }

    private final DataDirectory dir;
    private final FileIo io;
    private final List<Path> obsolete = new ArrayList<>();
    private final List<SnapshotFile> snapshots = new ArrayList<>();
    private final List<SegmentFile> segments = new ArrayList<>();
    private boolean hadData;

    private LogRecovery(DataDirectory dir) {
        this.dir = dir;
        this.io = dir.io();
    }

    static Result run(DataDirectory dir, RecoverySink sink) throws IOException {
        return new LogRecovery(dir).recover(sink);
    }

    private Result recover(RecoverySink sink) throws IOException {
        readHeaders();
        long generation = Math.max(snapshots.stream().mapToLong(SnapshotFile::generation).max().orElse(0),
                segments.stream().mapToLong(SegmentFile::generation).max().orElse(0));
        TreeMap<Long, SnapshotFile> current = new TreeMap<>();
        SnapshotFile base = newestReadable(generation, current);
        if (base == null && generation > 0) {
            // Every generation after the first begins with an installed snapshot; without it the log has no base.
            throw corrupt(new CorruptFileException(dir.path(), 0, "no readable snapshot of generation " + generation));
        }
        LogPosition basePosition = base == null ? LogPosition.ZERO : base.position();
        // A reset writes its snapshot before it deletes the old log: files of an older generation
        // are what a crash left of a log the installed snapshot replaced. Reading them would bring
        // back entries the primary overwrote.
        TreeMap<Long, SegmentFile> log = new TreeMap<>();
        for (SegmentFile segment : segments) {
            if (segment.generation() == generation) {
                log.put(segment.firstIndex(), segment);
            } else {
                obsolete.add(segment.path());
            }
        }
        snapshots.stream().filter(s -> s.generation() != generation).forEach(s -> obsolete.add(s.path()));
        Map.Entry<Long, SegmentFile> start = log.floorEntry(basePosition.index() + 1);
        if (start == null && !log.isEmpty()) {
            SegmentFile first = log.firstEntry().getValue();
            throw corrupt(new CorruptFileException(first.path(), 0, "the log starts at index " + first.firstIndex()
                    + " but the newest readable snapshot ends at " + basePosition.index() + ": entries in between are missing"));
        }
        sink.base(basePosition);
        if (base != null) {
            readSnapshot(base, sink);
        }
        long next = start == null ? basePosition.index() + 1 : start.getKey();
        if (start != null) {
            for (SegmentFile segment : log.tailMap(start.getKey(), true).values()) {
                if (segment.firstIndex() != next) {
                    throw corrupt(new CorruptFileException(segment.path(), 0, "segment starts at index " + segment.firstIndex()
                            + ", the log before it ends at " + (next - 1)));
                }
                next = replay(segment, next, basePosition.index(), segment == log.lastEntry().getValue(), sink);
            }
        }
        deleteObsolete();
        if (next <= basePosition.index() || log.isEmpty()) {
            // A new dir, or a crash between a reset's deletes and its new segment: start the log
            // now, so that a later start knows this dir held data.
            next = basePosition.index() + 1;
            SegmentFile.create(io, dir.path(), generation, next, true).close();
            log.put(next, new SegmentFile(SegmentFile.pathFor(dir.path(), next), generation, next));
        }
        return new Result(hadData, generation, current, log, next);
    }

    private void readHeaders() throws IOException {
        List<Path> files = new ArrayList<>(io.list(dir.path()));
        files.sort(Comparator.naturalOrder());
        Path lastSegment = files.stream().filter(SegmentFile::isSegment).reduce((a, b) -> b).orElse(null);
        for (Path file : files) {
            if (SnapshotFile.isTemporary(file)) {
                obsolete.add(file); // a snapshot write a crash interrupted before its rename
            } else if (SnapshotFile.isSnapshot(file)) {
                hadData = true;
                try {
                    snapshots.add(SnapshotFile.readHeader(io, file));
                } catch (CorruptFileException e) {
                    LOG.log(System.Logger.Level.WARNING, "ignoring snapshot " + e.getMessage());
                    obsolete.add(file);
                }
            } else if (SegmentFile.isSegment(file)) {
                hadData = true;
                try {
                    segments.add(SegmentFile.readHeader(io, file));
                } catch (CorruptFileException e) {
                    if (!file.equals(lastSegment)) {
                        throw corrupt(e);
                    }
                    // The newest segment's header is written before any record: a crash while creating it.
                    LOG.log(System.Logger.Level.WARNING, "removing a segment whose creation a crash interrupted: " + e.getMessage());
                    obsolete.add(file);
                }
            }
        }
    }

    /** The newest snapshot of {@code generation} whose checksum holds; a corrupt newer one is logged and set aside. */
    private SnapshotFile newestReadable(long generation, TreeMap<Long, SnapshotFile> kept) throws IOException {
        List<SnapshotFile> candidates = snapshots.stream().filter(s -> s.generation() == generation)
                .sorted(Comparator.comparingLong((SnapshotFile s) -> s.position().index()).reversed()).toList();
        SnapshotFile base = null;
        for (SnapshotFile candidate : candidates) {
            if (base != null) {
                kept.put(candidate.position().index(), candidate);
                continue;
            }
            try {
                candidate.verify(io);
                base = candidate;
                kept.put(candidate.position().index(), candidate);
            } catch (CorruptFileException e) {
                LOG.log(System.Logger.Level.WARNING, "snapshot " + e.getMessage() + "; falling back to the previous snapshot");
                obsolete.add(candidate.path());
            }
        }
        return base;
    }

    private void readSnapshot(SnapshotFile base, RecoverySink sink) throws IOException {
        try {
            base.read(io, sink::snapshotItem);
        } catch (CorruptFileException e) {
            throw corrupt(e); // it verified a moment ago: the disk changes under us
        }
    }

    /** Streams one segment's entries after {@code baseIndex} to the sink; returns the index after its last. */
    private long replay(SegmentFile segment, long next, long baseIndex, boolean last, RecoverySink sink) throws IOException {
        long tornAt = -1;
        try (SegmentReader reader = new SegmentReader(io, segment)) {
            while (true) {
                long offset = reader.validBytes();
                LogEntry entry;
                try {
                    entry = reader.next();
                } catch (CorruptFileException bad) {
                    if (!last || SegmentReader.dataFollows(io, segment.path(), bad.offset())) {
                        throw corrupt(bad);
                    }
                    tornAt = bad.offset();
                    LOG.log(System.Logger.Level.WARNING, "cutting off a torn record a crash left (never acknowledged): "
                            + bad.getMessage());
                    break;
                }
                if (entry == null) {
                    break;
                }
                if (entry.index() != next) {
                    throw corrupt(new CorruptFileException(segment.path(), offset, "entry index " + entry.index() + ", expected " + next));
                }
                if (entry.index() > baseIndex) {
                    sink.entry(entry);
                }
                next++;
            }
        }
        if (tornAt >= 0) {
            try (FileIo.Output out = io.append(segment.path())) {
                out.truncate(tornAt);
                out.force();
            }
        }
        return next;
    }

    private void deleteObsolete() throws IOException {
        for (Path file : obsolete) {
            io.delete(file);
        }
        if (!obsolete.isEmpty()) {
            io.fsyncDirectory(dir.path());
        }
    }

    private StorageException corrupt(CorruptFileException e) {
        return new StorageException("data dir " + dir.path() + " is corrupt: " + e.getMessage() + ". To recover, " + dir.wayOut(), e);
    }
}
