package pbkv.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbkv.core.DurableLog;
import pbkv.core.LogEntry;
import pbkv.core.LogPosition;
import pbkv.core.SnapshotItem;
import pbkv.core.StorageException;

class FileDurableLogTest {

    @TempDir
    Path dir;

    private final FaultyFileIo io = new FaultyFileIo();
    private final List<FileDurableLog> opened = new ArrayList<>();

    @AfterEach
    void closeLogs() {
        opened.forEach(FileDurableLog::close);
    }

    private FileDurableLog open(long segmentSizeBytes) {
        FileDurableLog log = DataDirs.log(dir, io, segmentSizeBytes);
        opened.add(log);
        return log;
    }

    @Test
    void reopenAfterAppendsReturnsTheSameEntriesAcrossSegments() {
        FileDurableLog log = open(1024);
        assertThat(log.recover(new Recovered())).isFalse();
        for (long from = 1; from <= 300; from += 30) {
            log.append(Recovered.entries(from, from + 29, 50));
        }
        log.close();

        FileDurableLog reopened = open(1024);
        Recovered recovered = new Recovered();
        assertThat(reopened.recover(recovered)).isTrue();
        assertThat(recovered.base).isEqualTo(LogPosition.ZERO);
        assertThat(recovered.entries).isEqualTo(Recovered.entries(1, 300, 50));
        assertThat(segments()).hasSizeGreaterThan(3);
    }

    @Test
    void withBatchFsyncEveryAcknowledgedEntrySurvivesAPowerLossAcrossSegmentRolls() throws IOException {
        FileDurableLog log = open(300);
        log.recover(new Recovered());
        for (long from = 1; from <= 100; from += 20) {
            log.append(Recovered.entries(from, from + 19, 7));
        }

        io.powerLoss();
        assertThat(Recovered.from(open(300)).entries).isEqualTo(Recovered.entries(1, 100, 7));
        assertThat(segments()).hasSizeGreaterThan(3);
    }

    @Test
    void recoverCalledAgainOnTheSameInstanceReadsTheSameLogAndAppendsContinue() {
        FileDurableLog log = open(1024);
        log.recover(new Recovered());
        log.append(Recovered.entries(1, 40, 10));

        assertThat(Recovered.from(log).entries).isEqualTo(Recovered.entries(1, 40, 10));
        log.append(Recovered.entries(41, 50, 10));
        assertThat(Recovered.from(log).entries).isEqualTo(Recovered.entries(1, 50, 10));
    }

    @Test
    void aTornRecordAtTheEndOfTheLastSegmentIsCutOffAndAppendsContinueAfterIt() throws IOException {
        FileDurableLog log = open(1 << 20);
        log.recover(new Recovered());
        log.append(Recovered.entries(1, 10, 5));
        log.close();
        Path segment = lastSegment();
        long intact = Files.size(segment);
        ByteBuffer next = RecordCodec.encode(Recovered.entries(11, 11, 5).get(0));
        appendBytes(segment, next.array(), next.remaining() - 3); // a crash mid-write

        FileDurableLog reopened = open(1 << 20);
        assertThat(Recovered.from(reopened).entries).isEqualTo(Recovered.entries(1, 10, 5));
        assertThat(Files.size(segment)).isEqualTo(intact);
        reopened.append(Recovered.entries(11, 12, 5));
        reopened.close();
        assertThat(Recovered.from(open(1 << 20)).entries).isEqualTo(Recovered.entries(1, 12, 5));
    }

    @Test
    void aDamagedRecordWithValidRecordsAfterItIsRefusedNamingTheFileTheOffsetAndTheWayOut() throws IOException {
        FileDurableLog log = open(1 << 20);
        log.recover(new Recovered());
        List<LogEntry> entries = Recovered.entries(1, 10, 5);
        log.append(entries);
        log.close();
        long offset = SegmentFile.HEADER_BYTES;
        for (LogEntry e : entries.subList(0, 4)) {
            offset += RecordCodec.encode(e).remaining();
        }
        flipByte(lastSegment(), offset + 20); // inside the payload of entry 5

        FileDurableLog reopened = open(1 << 20);
        assertThatThrownBy(() -> reopened.recover(new Recovered()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(lastSegment().getFileName().toString())
                .hasMessageContaining("offset " + offset)
                .hasMessageContaining("move " + dir + " away");
    }

    @Test
    void aTornTailInASegmentThatIsNotTheLastIsRefused() throws IOException {
        FileDurableLog log = open(256);
        log.recover(new Recovered());
        log.append(Recovered.entries(1, 30, 5));
        log.close();
        Path first = segments().get(0);
        try (FileChannel ch = FileChannel.open(first, StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(first) - 3);
        }

        assertThatThrownBy(() -> open(256).recover(new Recovered()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(first.getFileName().toString());
    }

    @Test
    void aMissingSegmentIsAGapAndIsRefused() throws IOException {
        FileDurableLog log = open(256);
        log.recover(new Recovered());
        log.append(Recovered.entries(1, 30, 5));
        log.close();
        Path second = segments().get(1);
        Files.delete(second);

        assertThatThrownBy(() -> open(256).recover(new Recovered()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(segments().get(1).getFileName().toString())
                .hasMessageContaining("the log before it ends at");
    }

    @Test
    void zerosAfterTheLastRecordAreATornTailFromAPowerLossAndAreCutOff() throws IOException {
        FileDurableLog log = open(1 << 20);
        log.recover(new Recovered());
        log.append(Recovered.entries(1, 10, 5));
        log.close();
        long intact = Files.size(lastSegment());
        appendBytes(lastSegment(), new byte[4096], 4096);

        assertThat(Recovered.from(open(1 << 20)).entries).isEqualTo(Recovered.entries(1, 10, 5));
        assertThat(Files.size(lastSegment())).isEqualTo(intact);
    }

    @Test
    void aDiskFullMidAppendLeavesNoPartialRecordNorNewSegmentAndTheAppendSucceedsOnceSpaceIsFreed() throws IOException {
        FileDurableLog log = open(512);
        log.recover(new Recovered());
        log.append(Recovered.entries(1, 10, 5));
        Map<Path, Long> before = sizes();

        io.diskFullAfter(700); // the call needs more, and rolls to a new segment on the way
        assertThatThrownBy(() -> log.append(Recovered.entries(11, 40, 5)))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("No space left on device");
        assertThat(sizes()).isEqualTo(before);

        io.freeSpace();
        log.append(Recovered.entries(11, 40, 5));
        log.close();
        assertThat(Recovered.from(open(512)).entries).isEqualTo(Recovered.entries(1, 40, 5));
    }

    @Test
    void theProbeFailsWhileTheDiskIsFullOrCannotSyncAndLeavesNothingOnceItWorks() throws IOException {
        FileDurableLog log = open(512);
        log.recover(new Recovered());
        Map<Path, Long> before = sizes();
        io.diskFullAfter(100);
        assertThatThrownBy(log::probe).isInstanceOf(StorageException.class).hasMessageContaining("refuses writes");
        io.freeSpace();
        io.fsyncFails(true);
        assertThatThrownBy(log::probe).isInstanceOf(StorageException.class);
        io.fsyncFails(false);
        log.probe();
        assertThat(sizes()).isEqualTo(before);
    }

    @Test
    void anFsyncThatFailsThrowsAndItsEntriesAreNotRecoveredAsWritten() throws IOException {
        FileDurableLog log = open(1 << 20);
        log.recover(new Recovered());
        log.append(Recovered.entries(1, 5, 5));

        io.fsyncFails(true);
        assertThatThrownBy(() -> log.append(Recovered.entries(6, 9, 5)))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(lastSegment().toString())
                .hasMessageContaining("Input/output error");
        io.powerLoss();
        io.fsyncFails(false);
        assertThat(Recovered.from(open(1 << 20)).entries).isEqualTo(Recovered.entries(1, 5, 5));
    }

    @Test
    void afterAFailedFsyncTheNextAppendTakesTheSameIndicesAndSurvivesAPowerLoss() throws IOException {
        FileDurableLog log = open(1 << 20);
        log.recover(new Recovered());
        log.append(Recovered.entries(1, 5, 5));
        io.fsyncFails(true);
        assertThatThrownBy(() -> log.append(Recovered.entries(6, 9, 5))).isInstanceOf(StorageException.class);

        io.fsyncFails(false);
        log.append(Recovered.entries(6, 9, 5));
        io.powerLoss();
        assertThat(Recovered.from(open(1 << 20)).entries).isEqualTo(Recovered.entries(1, 9, 5));
    }

    @Test
    void anAppendThatWouldLeaveAGapIsAStorageFailureAndWritesNothing() throws IOException {
        FileDurableLog log = open(1 << 20);
        log.recover(new Recovered());
        log.append(Recovered.entries(1, 5, 5));
        long before = Files.size(lastSegment());

        assertThatThrownBy(() -> log.append(Recovered.entries(7, 8, 5)))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("expects 6");
        assertThat(Files.size(lastSegment())).isEqualTo(before);
    }

    @Test
    void batchForcesOncePerAppendAlwaysOncePerEntryAndNeverNot() {
        assertThat(forcesFor(FsyncPolicy.BATCH, 3, 4)).isEqualTo(3);
        assertThat(forcesFor(FsyncPolicy.ALWAYS, 3, 4)).isEqualTo(12);
        assertThat(forcesFor(FsyncPolicy.NEVER, 3, 4)).isZero();
    }

    private long forcesFor(FsyncPolicy fsync, int calls, int entriesPerCall) {
        FaultyFileIo counting = new FaultyFileIo();
        Path sub = dir.resolve(fsync.name());
        FileDurableLog log = DataDirs.log(sub, counting, fsync, 1 << 20, 1_000_000, 0);
        opened.add(log);
        log.recover(new Recovered());
        long before = counting.forces();
        for (int i = 0; i < calls; i++) {
            log.append(Recovered.entries(1L + (long) i * entriesPerCall, (long) (i + 1) * entriesPerCall, 5));
        }
        return counting.forces() - before;
    }

    @Test
    void recoveryHandsTheFirstEntryToTheSinkBeforeItHasReadTheWholeLog() {
        FileDurableLog log = open(16 * 1024);
        log.recover(new Recovered());
        for (long from = 1; from <= 50_000; from += 1000) {
            log.append(Recovered.entries(from, from + 999, 100));
        }
        log.close();
        long logBytes = sizes().values().stream().mapToLong(Long::longValue).sum();

        long[] readAtFirstEntry = {-1};
        long[] count = {0};
        open(16 * 1024).recover(new DurableLog.RecoverySink() {
            private final long readBefore = io.bytesRead();

            @Override
            public void base(LogPosition base) {
            }

            @Override
            public void snapshotItem(SnapshotItem item) {
            }

            @Override
            public void entry(LogEntry entry) {
                if (count[0]++ == 0) {
                    readAtFirstEntry[0] = io.bytesRead() - readBefore;
                }
            }
        });
        assertThat(count[0]).isEqualTo(50_000);
        assertThat(readAtFirstEntry[0]).isLessThan(logBytes / 10);
    }

    private List<Path> segments() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(SegmentFile::isSegment).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private Path lastSegment() {
        List<Path> segments = segments();
        return segments.get(segments.size() - 1);
    }

    private Map<Path, Long> sizes() {
        Map<Path, Long> sizes = new TreeMap<>();
        for (Path segment : segments()) {
            try {
                sizes.put(segment, Files.size(segment));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return sizes;
    }

    static void appendBytes(Path file, byte[] bytes, int length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(bytes, 0, length));
        }
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x5a));
            ch.write(b.rewind(), offset);
        }
    }
}
