package pbkv.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbkv.core.LogEntry;

class DiskBoundTest {

    @TempDir
    Path dir;

    /**
     * The most a data dir holds once the snapshot thread has caught up, for segment size S bytes,
     * snapshot interval I entries, retention R entries, largest record E bytes and snapshot size B
     * bytes, when a segment holds fewer than I entries:
     * {@code 3·B + (max(3·I, R) + 1)·E + 3·(S + E) + 4 KB}. Two snapshots are kept and a third may
     * be being written (3·B). The log is kept from the older snapshot on, which lags the log's end
     * by at most three intervals (the newest snapshot by one interval plus the active segment, the
     * older by one more run, which a burst may delay by another interval), or for R entries if that
     * is more; a segment holds at most S + E bytes, and three of them straddle the boundaries.
     * 4 KB covers identity.properties and voter.properties.
     */
    static long boundBytes(long segmentSizeBytes, long snapshotIntervalEntries, long retainEntries, long maxRecordBytes,
                           long snapshotBytes) {
        return 3 * snapshotBytes + (Math.max(3 * snapshotIntervalEntries, retainEntries) + 1) * maxRecordBytes
                + 3 * (segmentSizeBytes + maxRecordBytes) + 4096;
    }

    @Test
    void backgroundSnapshotsAndSegmentDeletionKeepTheDirUnderItsBound() throws IOException {
        long segmentSizeBytes = 16 * 1024;
        long intervalEntries = 5_000;
        long retainEntries = 2_000;
        int keys = 1_000;
        long total = 200_000;
        FileDurableLog log = DataDirs.log(dir, FileIo.REAL, FsyncPolicy.NEVER, segmentSizeBytes, intervalEntries, retainEntries);
        log.recover(new Recovered());
        for (long from = 1; from <= total; from += 100) {
            log.append(Recovered.entries(from, from + 99, keys));
        }
        long maxRecordBytes = RecordCodec.encode(new LogEntry(1, total, "key-999", "value-" + total)).remaining();
        long maxItemBytes = 4 + "key-999".length() + 4 + ("value-" + total).length() + 8;
        long snapshotBytes = SnapshotFile.HEADER_BYTES + 4 + keys * maxItemBytes;
        long bound = boundBytes(segmentSizeBytes, intervalEntries, retainEntries, maxRecordBytes, snapshotBytes);
        assertThat(bound).isLessThan(total * maxRecordBytes / 10); // the bound is far below what was written

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(dirBytes()).isLessThanOrEqualTo(bound));
        System.out.printf("disk bound: the dir holds %,d bytes after %,d writes (%,d bytes written), bound %,d bytes%n",
                dirBytes(), total, total * maxRecordBytes, bound);
        log.close();
        Recovered recovered = Recovered.from(DataDirs.log(dir, FileIo.REAL, FsyncPolicy.NEVER, segmentSizeBytes, intervalEntries,
                retainEntries));
        assertThat(recovered.lastIndex()).isEqualTo(total);
        assertThat(recovered.store()).isEqualTo(Recovered.storeAfter(total, keys));
        assertThat(firstSegmentIndex()).isLessThanOrEqualTo(total - retainEntries); // kept for backups' catch-up
    }

    private long firstSegmentIndex() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            Path first = files.filter(SegmentFile::isSegment).sorted().findFirst().orElseThrow();
            return Long.parseLong(first.getFileName().toString().replaceAll("\\D", ""));
        }
    }

    private long dirBytes() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0; // deleted between the listing and the size
                }
            }).sum();
        }
    }
}
