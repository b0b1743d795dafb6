package pbkv.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbkv.core.Configuration;
import pbkv.core.StorageException;
import pbkv.core.VoterState;

class DataDirectoryTest {

    @TempDir
    Path dir;

    private final FaultyFileIo io = new FaultyFileIo();

    @Test
    void aNewDirIsStampedAndReopensForTheSameNode() {
        DataDirs.open(dir, io);

        assertThat(dir.resolve(DataDirectory.IDENTITY_FILE)).exists();
        assertThat(DataDirs.open(dir, io).path()).isEqualTo(dir);
    }

    @Test
    void anotherClustersDirIsRefusedNamingThePathAndTheWayOut() {
        DataDirectory.open(dir, "other-cluster", DataDirs.NODE, io);

        assertThatThrownBy(() -> DataDirs.open(dir, io))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("cluster 'other-cluster'")
                .hasMessageContaining("move " + dir + " away");
    }

    @Test
    void anotherNodesDirIsRefused() {
        DataDirectory.open(dir, DataDirs.CLUSTER, "n2", io);

        assertThatThrownBy(() -> DataDirs.open(dir, io))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("node 'n2'")
                .hasMessageContaining(dir.toString());
    }

    @Test
    void aDirOfANewerFormatIsRefused() throws IOException {
        Files.writeString(dir.resolve(DataDirectory.IDENTITY_FILE), "cluster=pbkv\nnode=n1\nformat-version="
                + (DataDirectory.FORMAT_VERSION + 1) + "\n");

        assertThatThrownBy(() -> DataDirs.open(dir, io))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("newer pbkv")
                .hasMessageContaining(dir.toString());
    }

    @Test
    void anUnwritableDirIsRefused() {
        io.readOnly(true);

        assertThatThrownBy(() -> DataDirs.open(dir, io))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("not readable and writable")
                .hasMessageContaining("Read-only file system")
                .hasMessageContaining(dir.toString());
    }

    @Test
    void aDirThatCannotBeCreatedIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a dir");

        assertThatThrownBy(() -> DataDirs.open(file.resolve("n1"), FileIo.REAL))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(file.resolve("n1").toString());
    }

    @Test
    void filesOfTheOldSingleFileFormatAreRefused() throws IOException {
        Files.writeString(dir.resolve("log.dat"), "old");

        assertThatThrownBy(() -> DataDirs.open(dir, io))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("log.dat")
                .hasMessageContaining("old storage format")
                .hasMessageContaining("move " + dir + " away");
        assertThat(dir.resolve(DataDirectory.IDENTITY_FILE)).doesNotExist();
    }

    @Test
    void aVoteWithoutDataRecoversAsNoDataAndTheFirstSegmentMarksDataFromThenOn() {
        DataDirectory data = DataDirs.open(dir, io);
        new FileVoterStore(data).save(new VoterState(3, new Configuration(3, "n2", Set.of("n2"))));
        FileDurableLog log = new FileDurableLog(data, new FileDurableLog.Settings(FsyncPolicy.BATCH, 4096, 1000, 0));

        assertThat(log.recover(new Recovered())).isFalse();
        log.close();
        FileDurableLog restarted = new FileDurableLog(DataDirs.open(dir, io), new FileDurableLog.Settings(FsyncPolicy.BATCH, 4096, 1000, 0));
        assertThat(restarted.recover(new Recovered())).isTrue();
        restarted.close();
    }

    @Test
    void aVoteSurvivesARestartAndACorruptVoteFileIsAClearStorageFailure() throws IOException {
        VoterState vote = new VoterState(4, new Configuration(3, "n2", Set.of("n1", "n2")));
        new FileVoterStore(DataDirs.open(dir, io)).save(vote);
        assertThat(new FileVoterStore(DataDirs.open(dir, io)).load()).contains(vote);

        Files.writeString(dir.resolve("voter.properties"), "promisedEpoch=four\nepoch=3\nprimary=n2\n");
        assertThatThrownBy(() -> new FileVoterStore(DataDirs.open(dir, io)).load())
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("voter.properties is corrupt");
    }
}
