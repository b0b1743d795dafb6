package pbkv.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbkv.core.LogEntry;
import pbkv.core.LogPosition;
import pbkv.core.SnapshotItem;
import pbkv.core.StorageException;

class SnapshotRecoveryTest {

    @TempDir
    Path dir;

    private final FaultyFileIo io = new FaultyFileIo();
    private final List<FileDurableLog> opened = new ArrayList<>();

    @AfterEach
    void closeLogs() {
        opened.forEach(FileDurableLog::close);
    }

    private FileDurableLog open(long segmentSizeBytes, long snapshotIntervalEntries, long retainEntries) {
        FileDurableLog log = DataDirs.log(dir, io, FsyncPolicy.NEVER, segmentSizeBytes, snapshotIntervalEntries, retainEntries);
        opened.add(log);
        return log;
    }

    @Test
    void aCorruptNewestSnapshotFallsBackToThePreviousOneAndItsLog() throws Exception {
        FileDurableLog log = open(512, 100, 0);
        log.recover(new Recovered());
        long last = 1000;
        for (long from = 1; from <= last; from += 10) {
            log.append(Recovered.entries(from, from + 9, 20));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> snapshots().size() >= 2);
        log.close();
        List<Path> snapshots = snapshots();
        Path newest = snapshots.get(snapshots.size() - 1);
        FileDurableLogTest.flipByte(newest, Files.size(newest) - 10);

        Recovered recovered = Recovered.from(open(512, 100, 0));
        assertThat(recovered.base.index()).isEqualTo(SnapshotFile.readHeader(io, snapshots.get(snapshots.size() - 2)).position().index());
        assertThat(recovered.lastIndex()).isEqualTo(last);
        assertThat(recovered.store()).isEqualTo(Recovered.storeAfter(last, 20));
        assertThat(newest).doesNotExist();
    }

    @Test
    void aCrashBetweenTheSnapshotRenameAndTheSegmentDeletesBringsBackNoOldEntry() {
        FileDurableLog log = open(1 << 20, 1_000_000, 0);
        log.recover(new Recovered());
        log.append(Recovered.entries(1, 10, 5)); // 6..10 diverge from the primary's log
        List<SnapshotItem> primarysStore = List.of(new SnapshotItem("key-1", "primary-1", 1), new SnapshotItem("only", "p", 5));

        io.deletesFail(true); // the crash: the snapshot is in place, the old segments are not deleted
        assertThatThrownBy(() -> log.reset(new LogPosition(2, 5), primarysStore)).isInstanceOf(StorageException.class);
        io.deletesFail(false);

        FileDurableLog restarted = open(1 << 20, 1_000_000, 0);
        Recovered recovered = Recovered.from(restarted);
        assertThat(recovered.base).isEqualTo(new LogPosition(2, 5));
        assertThat(recovered.items).containsExactlyInAnyOrderElementsOf(primarysStore);
        assertThat(recovered.entries).isEmpty();
        LogEntry next = new LogEntry(2, 6, "after", "reset");
        restarted.append(List.of(next));
        assertThat(Recovered.from(open(1 << 20, 1_000_000, 0)).entries).containsExactly(next);
    }

    @Test
    void aResetReplacesTheLogAndAppendsContinueAfterTheSnapshot() {
        FileDurableLog log = open(256, 1_000_000, 0);
        log.recover(new Recovered());
        log.append(Recovered.entries(1, 30, 5));

        log.reset(new LogPosition(3, 12), List.of(new SnapshotItem("a", "1", 12)));
        log.append(List.of(new LogEntry(3, 13, "b", "2")));

        Recovered recovered = Recovered.from(open(256, 1_000_000, 0));
        assertThat(recovered.base).isEqualTo(new LogPosition(3, 12));
        assertThat(recovered.store()).containsOnly(java.util.Map.entry("a", "1"), java.util.Map.entry("b", "2"));
    }

    private List<Path> snapshots() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(SnapshotFile::isSnapshot).sorted().toList();
        }
    }
}
