package pbkv.persistence;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real file system with faults switched on at will: a disk that fills up after some more
 * bytes, an fsync that fails with EIO, deletes that fail, a read-only dir, and a power loss that
 * drops every byte not forced. Thread-safe, as the snapshot thread writes through it too.
 */
final class FaultyFileIo implements FileIo {

    private final AtomicLong bytesLeft = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong forces = new AtomicLong();
    private final Map<Path, Long> forcedBytes = new ConcurrentHashMap<>();
    private volatile boolean fsyncFails;
    private volatile boolean deletesFail;
    private volatile boolean readOnly;

    /** Writes fail with "No space left on device" once {@code bytes} more bytes were written. */
    void diskFullAfter(long bytes) {
        bytesLeft.set(bytes);
    }

    void freeSpace() {
        bytesLeft.set(Long.MAX_VALUE);
    }

    void fsyncFails(boolean fails) {
        fsyncFails = fails;
    }

    void deletesFail(boolean fail) {
        deletesFail = fail;
    }

    void readOnly(boolean value) {
        readOnly = value;
    }

    /** Successful fsyncs of files (not directories) so far. */
    long forces() {
        return forces.get();
    }

    long bytesRead() {
        return bytesRead.get();
    }

    /** Cuts every file written through this back to what its last successful force made durable. */
    void powerLoss() throws IOException {
        for (Map.Entry<Path, Long> file : forcedBytes.entrySet()) {
            if (REAL.exists(file.getKey()) && REAL.size(file.getKey()) > file.getValue()) {
                try (Output out = REAL.append(file.getKey())) {
                    out.truncate(file.getValue());
                }
            }
        }
    }

    @Override
    public Output create(Path path) throws IOException {
        checkWritable(path);
        Output out = REAL.create(path);
        forcedBytes.put(path, 0L);
        return new FaultyOutput(path, out);
    }

    @Override
    public Output append(Path path) throws IOException {
        checkWritable(path);
        Output out = REAL.append(path);
        forcedBytes.putIfAbsent(path, out.size());
        return new FaultyOutput(path, out);
    }

    @Override
    public InputStream read(Path path) throws IOException {
        return new FilterInputStream(REAL.read(path)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                bytesRead.addAndGet(Math.max(n, 0));
                return n;
            }
        };
    }

    @Override
    public long size(Path path) throws IOException {
        return REAL.size(path);
    }

    @Override
    public boolean exists(Path path) {
        return REAL.exists(path);
    }

    @Override
    public void move(Path from, Path to) throws IOException {
        checkWritable(to);
        REAL.move(from, to);
        Long forced = forcedBytes.remove(from);
        if (forced != null) {
            forcedBytes.put(to, forced);
        }
    }

    @Override
    public void delete(Path path) throws IOException {
        checkWritable(path);
        if (deletesFail) {
            throw new IOException(path + ": Input/output error (injected)");
        }
        REAL.delete(path);
        forcedBytes.remove(path);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        return REAL.list(dir);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        if (!REAL.exists(dir)) {
            checkWritable(dir);
        }
        REAL.createDirectories(dir);
    }

    @Override
    public void fsyncDirectory(Path dir) throws IOException {
        if (fsyncFails) {
            throw new IOException(dir + ": Input/output error (injected fsync failure)");
        }
        REAL.fsyncDirectory(dir);
    }

    private void checkWritable(Path path) throws IOException {
        if (readOnly) {
            throw new AccessDeniedException(path.toString(), null, "Read-only file system (injected)");
        }
    }

    private final class FaultyOutput implements Output {
        private final Path path;
        private final Output out;

        FaultyOutput(Path path, Output out) {
            this.path = path;
            this.out = out;
        }

        @Override
        public void write(ByteBuffer bytes) throws IOException {
            checkWritable(path);
            long left = bytesLeft.get();
            if (bytes.remaining() > left) {
                // A full disk takes what fits, then refuses the rest: a partial record on disk.
                ByteBuffer fits = bytes.duplicate();
                fits.limit(fits.position() + (int) left);
                out.write(fits);
                bytes.position(bytes.position() + (int) left);
                bytesLeft.set(0);
                throw new IOException("No space left on device (injected)");
            }
            bytesLeft.addAndGet(-bytes.remaining());
            out.write(bytes);
        }

        @Override
        public void force() throws IOException {
            if (fsyncFails) {
                throw new IOException(path + ": Input/output error (injected fsync failure)");
            }
            out.force();
            forces.incrementAndGet();
            forcedBytes.put(path, out.size());
        }

        @Override
        public long size() throws IOException {
            return out.size();
        }

        @Override
        public void truncate(long size) throws IOException {
            out.truncate(size);
            forcedBytes.computeIfPresent(path, (p, forced) -> Math.min(forced, size));
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
