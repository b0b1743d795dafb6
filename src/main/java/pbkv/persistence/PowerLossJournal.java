package pbkv.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * For fault-injection tests only ({@code storage.power-loss-journal=true}): a {@link FileIo} that
 * notes, for every file of the data dir, the length it had at its last fsync, so that a test can
 * kill the node and cut every file back to what a power loss would have left ({@link #cut}). The
 * notes are plain appends, not synced: they only have to survive the kill -9 that precedes the cut.
 */
public final class PowerLossJournal implements FileIo {

    public static final String FILE_NAME = "power-loss.journal";

    private final FileIo io;
    private final Path journal;

    public PowerLossJournal(FileIo io, Path dataDir) {
        this.io = io;
        this.journal = dataDir.resolve(FILE_NAME);
    }

    /** Cuts every file of {@code dataDir} back to its length at its last fsync; deletes those never synced. */
    public static void cut(Path dataDir) throws IOException {
        Path journal = dataDir.resolve(FILE_NAME);
        if (!Files.exists(journal)) {
            return;
        }
        Map<String, Long> synced = new HashMap<>(); // null: created, not synced since
        for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t");
            switch (f[0]) {
                case "C" -> synced.put(f[1], null);
                case "S" -> synced.put(f[1], Long.parseLong(f[2]));
                case "M" -> synced.put(f[2], synced.remove(f[1]));
                case "D" -> synced.remove(f[1]);
                default -> {
                    // a torn last line from the kill: nothing after it happened
                }
            }
        }
        for (Map.Entry<String, Long> e : synced.entrySet()) {
            Path file = Path.of(e.getKey());
            if (!Files.exists(file)) {
                continue;
            }
            if (e.getValue() == null) {
                Files.delete(file);
            } else if (Files.size(file) > e.getValue()) {
                try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.truncate(e.getValue());
                }
            }
        }
    }

    private synchronized void note(String... fields) {
        try (Writer w = Files.newBufferedWriter(journal, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            w.write(String.join("\t", fields) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + journal, e);
        }
    }

    private static String name(Path path) {
        return path.toAbsolutePath().toString();
    }

    @Override
    public Output create(Path path) throws IOException {
        Output out = io.create(path);
        note("C", name(path));
        return noting(path, out);
    }

    @Override
    public Output append(Path path) throws IOException {
        return noting(path, io.append(path));
    }

    private Output noting(Path path, Output out) {
        return new Output() {
            @Override
            public void write(ByteBuffer bytes) throws IOException {
                out.write(bytes);
            }

            @Override
            public void force() throws IOException {
                out.force();
                note("S", name(path), Long.toString(out.size()));
            }

            @Override
            public long size() throws IOException {
                return out.size();
            }

            @Override
            public void truncate(long size) throws IOException {
                out.truncate(size);
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
    }

    @Override
    public InputStream read(Path path) throws IOException {
        return io.read(path);
    }

    @Override
    public long size(Path path) throws IOException {
        return io.size(path);
    }

    @Override
    public boolean exists(Path path) {
        return io.exists(path);
    }

    @Override
    public void move(Path from, Path to) throws IOException {
        io.move(from, to);
        note("M", name(from), name(to));
    }

    @Override
    public void delete(Path path) throws IOException {
        io.delete(path);
        note("D", name(path));
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        return io.list(dir);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        io.createDirectories(dir);
    }

    @Override
    public void fsyncDirectory(Path dir) throws IOException {
        io.fsyncDirectory(dir);
    }
}
