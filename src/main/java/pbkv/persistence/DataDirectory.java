package pbkv.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import pbkv.core.StorageException;

/**
 * A node's data dir, checked before anything reads or writes it: it must be readable and
 * writable, and belong to this cluster and node in a format this pbkv reads. At first start it is
 * stamped with {@code identity.properties}; a dir of another node, another cluster, a newer pbkv
 * or pbkv's old single-file format stops the node with a message naming the path and the way out,
 * instead of being read as if it were this node's data.
 */
public final class DataDirectory {

    /** Version 1: segmented log, snapshots with generations, identity file. */
    static final int FORMAT_VERSION = 1;
    static final String IDENTITY_FILE = "identity.properties";
    private static final List<String> OLD_FORMAT_FILES = List.of("log.dat", "snapshot.dat");

    private final Path path;
    private final FileIo io;

    private DataDirectory(Path path, FileIo io) {
        this.path = path;
        this.io = io;
    }

    /** Opens the dir of {@code nodeId} in {@code clusterName}, creating and stamping it at first start. */
    public static DataDirectory open(Path path, String clusterName, String nodeId, FileIo io) {
        DataDirectory dir = new DataDirectory(path, io);
        dir.checkUsable();
        Path identity = path.resolve(IDENTITY_FILE);
        if (io.exists(identity)) {
            dir.checkIdentity(identity, clusterName, nodeId);
        } else {
            dir.checkNoUnstampedData();
            dir.stamp(identity, clusterName, nodeId);
        }
        return dir;
    }

    public Path path() {
        return path;
    }

    FileIo io() {
        return io;
    }

    /** The way out of a data dir this node cannot use, for every message that refuses one. */
    String wayOut() {
        return "move " + path + " away; the node then starts empty and catches up from the primary";
    }

    private void checkUsable() {
        Path probe = path.resolve(".write-probe");
        try {
            io.createDirectories(path);
            io.list(path);
            try (FileIo.Output out = io.create(probe)) {
                out.force();
            }
            io.delete(probe);
        } catch (IOException e) {
            throw new StorageException("data dir " + path + " is not readable and writable (" + e + "): fix its permissions or"
                    + " free its disk, or point node.data-dir elsewhere", e);
        }
    }

    private void checkIdentity(Path identity, String clusterName, String nodeId) {
        Properties p = new Properties();
        try (InputStream in = io.read(identity)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            throw new StorageException("cannot read " + identity + " (" + e + "): " + wayOut(), e);
        }
        int version;
        try {
            version = Integer.parseInt(p.getProperty("format-version", ""));
        } catch (NumberFormatException e) {
            throw new StorageException(identity + " has no valid format-version: " + wayOut(), e);
        }
        if (version > FORMAT_VERSION) {
            throw new StorageException("data dir " + path + " was written by a newer pbkv (format " + version + ", this one reads up to "
                    + FORMAT_VERSION + "): run the newer pbkv, or " + wayOut());
        }
        String cluster = p.getProperty("cluster");
        String node = p.getProperty("node");
        if (!clusterName.equals(cluster) || !nodeId.equals(node)) {
            throw new StorageException("data dir " + path + " belongs to node '" + node + "' of cluster '" + cluster + "', not node '"
                    + nodeId + "' of cluster '" + clusterName + "': check node.id, cluster.name and node.data-dir, or " + wayOut());
        }
    }

    private void checkNoUnstampedData() {
        List<Path> files;
        try {
            files = io.list(path);
        } catch (IOException e) {
            throw new StorageException("cannot list data dir " + path + ": " + e, e);
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (OLD_FORMAT_FILES.contains(name)) {
                throw new StorageException("data dir " + path + " holds " + name + " of pbkv's old storage format, which this pbkv does"
                        + " not read: " + wayOut());
            }
            if (SegmentFile.isSegment(file) || SnapshotFile.isSnapshot(file)) {
                throw new StorageException("data dir " + path + " holds " + name + " but no " + IDENTITY_FILE
                        + ", so whose data it is cannot be told: " + wayOut());
            }
        }
    }

    private void stamp(Path identity, String clusterName, String nodeId) {
        String text = "# pbkv data dir: whose it is and its format; a node refuses a dir that is not its own\n"
                + "cluster=" + clusterName + "\nnode=" + nodeId + "\nformat-version=" + FORMAT_VERSION + "\n";
        try {
            writeAtomically(identity, text);
        } catch (IOException e) {
            throw new StorageException("cannot write " + identity + ": " + e, e);
        }
    }

    /** Writes a small file whole or not at all: a temporary file, forced, renamed over the target, the directory forced. */
    void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileIo.Output out = io.create(tmp)) {
            out.write(StandardCharsets.UTF_8.encode(text));
            out.force();
        }
        io.move(tmp, file);
        io.fsyncDirectory(path);
    }
}
