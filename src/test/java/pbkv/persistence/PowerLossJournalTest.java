package pbkv.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PowerLossJournalTest {

    @TempDir
    Path dir;

    @Test
    void aCutLeavesEachFileAtItsLastFsyncAndRemovesFilesNeverSynced() throws IOException {
        FileIo io = new PowerLossJournal(FileIo.REAL, dir);
        try (FileIo.Output log = io.create(dir.resolve("log"))) {
            log.write(ByteBuffer.wrap(new byte[100]));
            log.force();
            log.write(ByteBuffer.wrap(new byte[50])); // in the page cache only
        }
        try (FileIo.Output tmp = io.create(dir.resolve("snap.tmp"))) {
            tmp.write(ByteBuffer.wrap(new byte[70]));
            tmp.force();
        }
        io.move(dir.resolve("snap.tmp"), dir.resolve("snap"));
        try (FileIo.Output never = io.create(dir.resolve("never"))) {
            never.write(ByteBuffer.wrap(new byte[10]));
        }

        PowerLossJournal.cut(dir);

        assertThat(Files.size(dir.resolve("log"))).isEqualTo(100);
        assertThat(Files.size(dir.resolve("snap"))).as("a synced file keeps its length through a rename").isEqualTo(70);
        assertThat(dir.resolve("never")).doesNotExist();
    }
}
