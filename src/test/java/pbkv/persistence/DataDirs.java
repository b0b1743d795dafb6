package pbkv.persistence;

import java.nio.file.Path;

/** Opens data dirs and logs the way a node of cluster "pbkv" named "n1" does. */
final class DataDirs {

    static final String CLUSTER = "pbkv";
    static final String NODE = "n1";

    private DataDirs() {
    }

    static DataDirectory open(Path path, FileIo io) {
        return DataDirectory.open(path, CLUSTER, NODE, io);
    }

    static FileDurableLog log(Path path, FileIo io, FsyncPolicy fsync, long segmentSizeBytes, long snapshotIntervalEntries,
                              long retainEntries) {
        return new FileDurableLog(open(path, io), new FileDurableLog.Settings(fsync, segmentSizeBytes, snapshotIntervalEntries,
                retainEntries));
    }

    /** No background snapshot in the way: one every billion entries. */
    static FileDurableLog log(Path path, FileIo io, long segmentSizeBytes) {
        return log(path, io, FsyncPolicy.BATCH, segmentSizeBytes, 1_000_000_000L, 0);
    }
}
