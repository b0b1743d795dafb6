package pbkv.persistence;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * Every file operation of disk mode passes here, so that tests can inject a full disk, a failing
 * fsync or a power loss ({@code FaultyFileIo} in the tests). Each method fails with the
 * {@link IOException} the operating system gave; callers turn it into a storage failure.
 */
public interface FileIo {

    FileIo REAL = new RealFileIo();

    /** A file open for writing at its end. */
    interface Output extends Closeable {
        /** Writes all of {@code bytes}; on failure some of them may have reached the file. */
        void write(ByteBuffer bytes) throws IOException;

        /** Forces what was written to the device (fsync). */
        void force() throws IOException;

        long size() throws IOException;

        /** Cuts the file back to {@code size} bytes and continues writing there. */
        void truncate(long size) throws IOException;
    }

    /** Creates {@code path}, or empties it if it exists. */
    Output create(Path path) throws IOException;

    /** Opens an existing file to write after its last byte. */
    Output append(Path path) throws IOException;

    InputStream read(Path path) throws IOException;

    long size(Path path) throws IOException;

    boolean exists(Path path);

    /** Atomically renames {@code from} to {@code to}, replacing it. Follow it with {@link #fsyncDirectory}. */
    void move(Path from, Path to) throws IOException;

    /** Deletes {@code path} if it exists. */
    void delete(Path path) throws IOException;

    /** The entries of {@code dir}, in no particular order. */
    List<Path> list(Path dir) throws IOException;

    void createDirectories(Path dir) throws IOException;

    /** Makes the directory's entries (created, renamed, deleted files) durable. */
    void fsyncDirectory(Path dir) throws IOException;
}
