package pbkv.persistence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import pbkv.core.DurableLog;
import pbkv.core.LogEntry;
import pbkv.core.LogPosition;
import pbkv.core.SnapshotItem;
import pbkv.core.StorageException;

/**
 * Disk mode: a segmented log ({@link SegmentFile}) plus snapshots ({@link SnapshotFile}) that a
 * background thread takes from closed segments, so that the dir stays bounded without the replica
 * ever pausing for a snapshot. Appends are forced per {@link FsyncPolicy}; a failed append is cut
 * back off the file, so the log holds whole records only and the next append may succeed.
 *
 * <p>Over 200 lines: append's undo, reset and the snapshot hand-over share the state this lock
 * guards, and splitting them would spread that invariant over classes.
 */
public final class FileDurableLog implements DurableLog, AutoCloseable {

    private static final System.Logger LOG = System.getLogger("pbkv.persistence");
    /** Snapshots kept: the newest, and the one before it to fall back to if the newest is corrupt. */
    private static final int SNAPSHOTS_KEPT = 2;
    /**
     * The largest value one log record holds: the record limit less its fixed fields and room for
     * the longest key (keys are at most 256 bytes). kv.max-value-size may not exceed it.
     */
    public static final long MAX_VALUE_BYTES = RecordCodec.MAX_PAYLOAD_BYTES - 1024;

    /** The limits of one data dir. */
    public record Settings(FsyncPolicy fsync, long segmentSizeBytes, long snapshotIntervalEntries, long retainEntries) {
        public Settings {
            if (segmentSizeBytes < SegmentFile.HEADER_BYTES || snapshotIntervalEntries < 1 || retainEntries < 0) {
                throw new IllegalArgumentException("storage limits must be positive: " + segmentSizeBytes + " bytes per segment, "
                        + snapshotIntervalEntries + " entries per snapshot, " + retainEntries + " retained entries");
            }
        }
    }

    private final DataDirectory dir;
    private final FileIo io;
    private final Settings settings;
    private final BackgroundSnapshots background = new BackgroundSnapshots(this::snapshotOnce);

    // Guarded by this: the files of the current generation and the segment appends go to.
    private long generation;
    private TreeMap<Long, SnapshotFile> snapshots;
    private TreeMap<Long, SegmentFile> segments;
    private long nextIndex;
    private FileIo.Output active;
    private long activeBytes;
    private long appendedSinceSnapshot;
    private Undo pendingUndo;
    private boolean closed;

    /** What an append that failed must take back, kept until it could be done. */
    private record Undo(Path segment, long bytes, List<Long> created) {
    }

    public FileDurableLog(DataDirectory dir, Settings settings) {
        this.dir = dir;
        this.io = dir.io();
        this.settings = settings;
    }

    /** Reads the dir into {@code sink}; callable again after a storage failure, to make memory equal the disk. */
    @Override
    public synchronized boolean recover(RecoverySink sink) {
        closeActive();
        segments = null;
        pendingUndo = null;
        closed = false;
        background.open();
        try {
            LogRecovery.Result found = LogRecovery.run(dir, sink);
            generation = found.generation();
            snapshots = found.snapshots();
            segments = found.segments();
            nextIndex = found.nextIndex();
            openActive();
            // Entries no snapshot covers count as appended: a long recovered log gets its snapshot soon.
            appendedSinceSnapshot = nextIndex - 1 - (snapshots.isEmpty() ? 0 : snapshots.lastKey());
            requestSnapshotIfDue();
            return found.hadData();
        } catch (IOException e) {
            segments = null;
            throw new StorageException("cannot read data dir " + dir.path() + ": " + e, e);
        }
    }

    @Override
    public synchronized void append(List<LogEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        requireOpen();
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).index() != nextIndex + i) {
                // Memory and disk disagree (the caller kept entries an earlier failed append lost):
                // a storage failure, so that the caller re-reads the disk, never a gap on disk.
                throw new StorageException("appending index " + entries.get(i).index() + " to " + dir.path()
                        + ", whose log expects " + (nextIndex + i) + ": memory and disk disagree");
            }
        }
        Undo undo = new Undo(activeSegment().path(), activeBytes, new ArrayList<>());
        try {
            for (LogEntry entry : entries) {
                if (activeBytes >= settings.segmentSizeBytes()) {
                    roll(entry.index(), undo);
                }
                ByteBuffer record = RecordCodec.encode(entry);
                activeBytes += record.remaining();
                active.write(record);
                if (settings.fsync() == FsyncPolicy.ALWAYS) {
                    active.force();
                }
            }
            if (settings.fsync() == FsyncPolicy.BATCH) {
                active.force();
            }
        } catch (IOException | RuntimeException e) {
            // Nothing of a failed call stays: a partial record mid-log would read as corruption,
            // and entries whose force failed were never acknowledged.
            pendingUndo = undo;
            tryUndo();
            if (e instanceof RuntimeException bug) {
                throw bug;
            }
            throw new StorageException("cannot append entries " + entries.get(0).index() + ".." + entries.get(entries.size() - 1).index()
                    + " to " + undo.segment() + (undo.created().isEmpty() ? "" : " and the segments after it") + ": " + e, e);
        }
        nextIndex += entries.size();
        appendedSinceSnapshot += entries.size();
        requestSnapshotIfDue();
    }

    private void requestSnapshotIfDue() {
        if (appendedSinceSnapshot >= settings.snapshotIntervalEntries()) {
            appendedSinceSnapshot = 0;
            background.request();
        }
    }

    /**
     * Installs a snapshot in place of everything. The snapshot is renamed into place with a new
     * generation before the old log is deleted: if a crash comes in between, recovery reads the
     * new generation and discards the old log, whose entries after the snapshot may be ones the
     * primary overwrote.
     */
    @Override
    public void probe() {
        Path probe = dir.path().resolve("probe.tmp");
        try {
            try (FileIo.Output out = io.create(probe)) {
                out.write(ByteBuffer.wrap(new byte[4096]));
                out.force();
            }
            io.delete(probe);
        } catch (IOException e) {
            throw new StorageException("the disk of " + dir.path() + " still refuses writes: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void reset(LogPosition position, List<SnapshotItem> items) {
        requireRecovered();
        long newGeneration = generation + 1;
        closeActive();
        try {
            SnapshotFile snapshot = SnapshotFile.install(io, SnapshotFile.writeTemporary(io, dir.path(), ".tmp", newGeneration, position,
                    items.size(), items.iterator()), newGeneration, position, items.size());
            for (Path file : io.list(dir.path())) {
                if (SegmentFile.isSegment(file) || (SnapshotFile.isSnapshot(file) && !file.equals(snapshot.path()))) {
                    io.delete(file);
                }
            }
            generation = newGeneration;
            snapshots = new TreeMap<>(Map.of(position.index(), snapshot));
            segments = new TreeMap<>();
            nextIndex = position.index() + 1;
            appendedSinceSnapshot = 0;
            SegmentFile.create(io, dir.path(), generation, nextIndex, true).close();
            segments.put(nextIndex, new SegmentFile(SegmentFile.pathFor(dir.path(), nextIndex), generation, nextIndex));
            openActive();
        } catch (IOException e) {
            segments = null; // the files are in an unknown state: only a recovery may tell
            throw new StorageException("cannot install the snapshot at " + position + " in " + dir.path() + ": " + e
                    + "; the node re-reads its data dir before it writes again", e);
        }
    }

    /** Stops the snapshot thread and closes the active segment; what was appended stays on disk. */
    @Override
    public void close() {
        background.close();
        synchronized (this) {
            closed = true;
            closeActive();
        }
    }

    private void roll(long firstIndex, Undo undo) throws IOException {
        boolean durable = settings.fsync() != FsyncPolicy.NEVER;
        if (durable) {
            active.force(); // a closed segment is whole on the device before a newer one exists
        }
        closeActive();
        undo.created().add(firstIndex);
        segments.put(firstIndex, new SegmentFile(SegmentFile.pathFor(dir.path(), firstIndex), generation, firstIndex));
        active = SegmentFile.create(io, dir.path(), generation, firstIndex, durable);
        activeBytes = SegmentFile.HEADER_BYTES;
    }

    /** Takes a failed append back: deletes the segments it created and cuts the one it began in back to its old length. */
    private void tryUndo() {
        Undo undo = pendingUndo;
        closeActive();
        try {
            for (long created : undo.created()) {
                io.delete(SegmentFile.pathFor(dir.path(), created));
                segments.remove(created);
            }
            FileIo.Output output = io.append(undo.segment());
            active = output;
            output.truncate(undo.bytes());
            if (settings.fsync() != FsyncPolicy.NEVER) {
                output.force();
            }
            activeBytes = undo.bytes();
            pendingUndo = null;
        } catch (IOException e) {
            closeActive();
            LOG.log(System.Logger.Level.WARNING, "cannot yet take back a failed append in " + undo.segment() + ", retried before the"
                    + " next append: " + e);
        }
    }

    private SegmentFile activeSegment() {
        return segments.lastEntry().getValue();
    }

    private void openActive() throws IOException {
        SegmentFile segment = activeSegment();
        active = io.append(segment.path());
        activeBytes = active.size();
    }

    private void closeActive() {
        try {
            if (active != null) {
                active.close();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a segment: " + e);
        }
        active = null;
    }

    private void requireRecovered() {
        if (segments == null) {
            throw new StorageException("data dir " + dir.path() + " is not open: recover() reads it first");
        }
    }

    private void requireOpen() {
        requireRecovered();
        if (closed) {
            throw new IllegalStateException("appending to " + dir.path() + " after close()");
        }
        if (pendingUndo != null) {
            tryUndo();
            if (pendingUndo != null) {
                throw new StorageException("cannot append to " + pendingUndo.segment() + ": a failed append could not be taken back yet");
            }
        }
    }

    /** One background run: snapshot what closed segments hold beyond the newest snapshot, then delete what it covers. */
    private void snapshotOnce() {
        try {
            SnapshotBuilder.Plan plan = planSnapshot();
            if (plan != null) {
                install(SnapshotBuilder.build(io, dir.path(), plan));
            }
            prune();
        } catch (IOException | CorruptFileException | RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                return; // close() stopped it; the temporary file it leaves is deleted at the next start
            }
            LOG.log(System.Logger.Level.WARNING, "background snapshot in " + dir.path() + " failed, retried after "
                    + settings.snapshotIntervalEntries() + " more entries: " + e);
        }
    }

    private synchronized SnapshotBuilder.Plan planSnapshot() {
        // While a failed append is not yet taken back, the segment it began in holds records that are not the log.
        if (segments == null || closed || pendingUndo != null) {
            return null;
        }
        SnapshotFile base = snapshots.isEmpty() ? null : snapshots.lastEntry().getValue();
        long baseIndex = base == null ? 0 : base.position().index();
        List<SegmentFile> closedSegments = new ArrayList<>();
        long lastIndex = baseIndex;
        for (SegmentFile segment : segments.values()) {
            Long nextFirst = segments.higherKey(segment.firstIndex());
            if (nextFirst == null) {
                break; // the active segment still grows
            }
            if (nextFirst - 1 > baseIndex) {
                closedSegments.add(segment);
                lastIndex = nextFirst - 1;
            }
        }
        return closedSegments.isEmpty() ? null : new SnapshotBuilder.Plan(generation, base, closedSegments, lastIndex);
    }

    /**
     * Renames a built snapshot into place under the lock, a rename and a directory fsync long: a
     * reset may have installed a newer generation's snapshot under the same name meanwhile, and
     * checking the generation and renaming must be one step.
     */
    private synchronized void install(SnapshotBuilder.Built built) throws IOException {
        if (segments == null || closed || built.generation() != generation) {
            io.delete(built.tmp()); // a reset replaced the log this snapshot was built from
            return;
        }
        SnapshotFile snapshot = SnapshotFile.install(io, built.tmp(), built.generation(), built.position(), built.count());
        snapshots.put(built.position().index(), snapshot);
    }

    /**
     * Keeps the two newest snapshots, and of the log what the older of them does not cover or the
     * replica keeps for catch-up: falling back to the older snapshot must still find its log.
     */
    private synchronized void prune() throws IOException {
        if (segments == null || closed || pendingUndo != null) {
            return;
        }
        while (snapshots.size() > SNAPSHOTS_KEPT) {
            io.delete(snapshots.pollFirstEntry().getValue().path());
        }
        if (snapshots.size() < SNAPSHOTS_KEPT) {
            return;
        }
        long covered = snapshots.firstKey();
        long lastIndex = nextIndex - 1;
        while (segments.size() > 1) {
            long segmentLast = segments.higherKey(segments.firstKey()) - 1;
            if (segmentLast > covered || lastIndex - segmentLast <= settings.retainEntries()) {
                break;
            }
            io.delete(segments.pollFirstEntry().getValue().path());
        }
    }
}
