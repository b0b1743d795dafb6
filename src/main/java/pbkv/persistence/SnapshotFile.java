package pbkv.persistence;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import pbkv.core.LogPosition;
import pbkv.core.SnapshotItem;

/**
 * The store at a log position, {@code snapshot-<index, 20 digits>.snap}: a header (magic, format
 * version, generation, epoch, index, item count, CRC32C of those), the items, and a CRC32C of the
 * items. Written to a temporary file, forced, renamed into place, and the directory forced, so a
 * crash leaves either no snapshot or a whole one.
 */
record SnapshotFile(Path path, long generation, LogPosition position, long count) {

    static final int HEADER_BYTES = 44;
    static final int MAGIC = 0x50424b50; // "PBKP"
    static final int FORMAT_VERSION = 1;
    private static final String PREFIX = "snapshot-";
    private static final String SUFFIX = ".snap";
    private static final int NULL_VALUE = -1;

    static Path pathFor(Path dir, long index) {
        return dir.resolve(PREFIX + String.format("%020d", index) + SUFFIX);
    }

    static boolean isSnapshot(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
    }

    /**
     * Writes and forces the snapshot under a temporary name ending in {@code tmpSuffix}, which
     * nothing reads: {@link #install} renames it into place.
     */
    static Path writeTemporary(FileIo io, Path dir, String tmpSuffix, long generation, LogPosition position, long count,
                               Iterator<SnapshotItem> items) throws IOException {
        Path path = pathFor(dir, position.index());
        Path tmp = path.resolveSibling(path.getFileName() + tmpSuffix);
        try (FileIo.Output out = io.create(tmp)) {
            out.write(header(generation, position, count));
            BufferedOutputStream buffered = new BufferedOutputStream(new OutputStreamAdapter(out), 1 << 16);
            CRC32C crc = new CRC32C();
            DataOutputStream body = new DataOutputStream(new CheckedOutputStream(buffered, crc));
            long written = 0;
            while (items.hasNext()) {
                writeItem(body, items.next());
                written++;
            }
            if (written != count) {
                throw new IllegalStateException("snapshot at " + position + " announced " + count + " items, got " + written);
            }
            body.flush();
            buffered.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
            buffered.flush();
            out.force();
        } catch (IOException | RuntimeException e) {
            deleteQuietly(io, tmp, e);
            throw e;
        }
        return tmp;
    }

    /** Renames a forced temporary snapshot into place and forces the directory, so the rename survives a power loss. */
    static SnapshotFile install(FileIo io, Path tmp, long generation, LogPosition position, long count) throws IOException {
        Path dir = tmp.getParent();
        Path path = pathFor(dir, position.index());
        io.move(tmp, path);
        io.fsyncDirectory(dir);
        return new SnapshotFile(path, generation, position, count);
    }

    static boolean isTemporary(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(PREFIX) && name.endsWith(".tmp");
    }

    static SnapshotFile readHeader(FileIo io, Path path) throws IOException, CorruptFileException {
        byte[] bytes;
        try (InputStream in = io.read(path)) {
            bytes = in.readNBytes(HEADER_BYTES);
        }
        if (bytes.length < HEADER_BYTES) {
            throw new CorruptFileException(path, bytes.length, "snapshot header cut short");
        }
        ByteBuffer header = ByteBuffer.wrap(bytes);
        if (header.getInt() != MAGIC) {
            throw new CorruptFileException(path, 0, "not a pbkv snapshot (bad magic)");
        }
        int version = header.getInt();
        if (version != FORMAT_VERSION) {
            throw new CorruptFileException(path, 4, "snapshot format version " + version + ", this pbkv reads " + FORMAT_VERSION);
        }
        long generation = header.getLong();
        long epoch = header.getLong();
        long index = header.getLong();
        long count = header.getLong();
        if (header.getInt() != headerCrc(bytes) || epoch < 0 || index < 0 || count < 0) {
            throw new CorruptFileException(path, 40, "snapshot header checksum mismatch");
        }
        return new SnapshotFile(path, generation, new LogPosition(epoch, index), count);
    }

    /** Reads every item and checks the body's checksum, so that a corrupt snapshot is found before any item is used. */
    void verify(FileIo io) throws IOException, CorruptFileException {
        read(io, item -> { });
    }

    /** Streams the items to {@code sink}; call {@link #verify} first, as a corrupt item may follow good ones. */
    void read(FileIo io, Consumer<SnapshotItem> sink) throws IOException, CorruptFileException {
        CRC32C crc = new CRC32C();
        try (BufferedInputStream buffered = new BufferedInputStream(io.read(path), 1 << 16)) {
            buffered.skipNBytes(HEADER_BYTES);
            DataInputStream body = new DataInputStream(new CheckedInputStream(buffered, crc));
            for (long i = 0; i < count; i++) {
                sink.accept(readItem(body));
            }
            byte[] trailer = buffered.readNBytes(4);
            if (trailer.length < 4 || ByteBuffer.wrap(trailer).getInt() != (int) crc.getValue() || buffered.read() != -1) {
                throw new CorruptFileException(path, HEADER_BYTES, "snapshot body checksum mismatch");
            }
        } catch (EOFException e) {
            throw new CorruptFileException(path, HEADER_BYTES, "snapshot cut short before its " + count + " items");
        }
    }

    private static ByteBuffer header(long generation, LogPosition position, long count) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.putInt(MAGIC).putInt(FORMAT_VERSION).putLong(generation).putLong(position.epoch()).putLong(position.index())
                .putLong(count);
        header.putInt(headerCrc(header.array()));
        return header.flip();
    }

    private static int headerCrc(byte[] header) {
        CRC32C crc = new CRC32C();
        crc.update(header, 0, HEADER_BYTES - 4);
        return (int) crc.getValue();
    }

    private static void writeItem(DataOutputStream out, SnapshotItem item) throws IOException {
        byte[] key = item.key().getBytes(StandardCharsets.UTF_8);
        out.writeInt(key.length);
        out.write(key);
        if (item.value() == null) {
            out.writeInt(NULL_VALUE);
        } else {
            byte[] value = item.value().getBytes(StandardCharsets.UTF_8);
            out.writeInt(value.length);
            out.write(value);
        }
        out.writeLong(item.version());
    }

    private SnapshotItem readItem(DataInputStream in) throws IOException, CorruptFileException {
        String key = readString(in, in.readInt());
        int valueBytes = in.readInt();
        String value = valueBytes == NULL_VALUE ? null : readString(in, valueBytes);
        return new SnapshotItem(key, value, in.readLong());
    }

    private String readString(DataInputStream in, int bytes) throws IOException, CorruptFileException {
        if (bytes < 0 || bytes > RecordCodec.MAX_PAYLOAD_BYTES) {
            throw new CorruptFileException(path, HEADER_BYTES, "implausible string length " + bytes + " in the snapshot body");
        }
        return new String(in.readNBytes(bytes), StandardCharsets.UTF_8);
    }

    private static void deleteQuietly(FileIo io, Path tmp, Exception cause) {
        try {
            io.delete(tmp);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}
