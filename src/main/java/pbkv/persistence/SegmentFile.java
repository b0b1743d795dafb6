package pbkv.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * A log segment {@code log-<first index, 20 digits>.seg}: a header (magic, format version,
 * generation, first index, CRC32C of those) and records after it. The generation tells a segment
 * written before a snapshot install ({@link FileDurableLog#reset}) from one written after it.
 */
record SegmentFile(Path path, long generation, long firstIndex) {

    static final int HEADER_BYTES = 28;
    static final int MAGIC = 0x50424b4c; // "PBKL"
    static final int FORMAT_VERSION = 1;
    private static final String PREFIX = "log-";
    private static final String SUFFIX = ".seg";

    static Path pathFor(Path dir, long firstIndex) {
        return dir.resolve(PREFIX + String.format("%020d", firstIndex) + SUFFIX);
    }

    static boolean isSegment(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
    }

    static ByteBuffer header(long generation, long firstIndex) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.putInt(MAGIC).putInt(FORMAT_VERSION).putLong(generation).putLong(firstIndex);
        header.putInt(crc(header.array()));
        return header.flip();
    }

    /**
     * Creates the segment starting at {@code firstIndex}, header written, open for appending. With
     * {@code durable}, the header and the file's directory entry are forced too, so that records
     * forced into it later cannot be lost with a file the directory forgot.
     */
    static FileIo.Output create(FileIo io, Path dir, long generation, long firstIndex, boolean durable) throws IOException {
        Path path = pathFor(dir, firstIndex);
        FileIo.Output out = io.create(path);
        try {
            out.write(header(generation, firstIndex));
            if (durable) {
                out.force();
                io.fsyncDirectory(dir);
            }
            return out;
        } catch (IOException e) {
            out.close();
            io.delete(path);
            throw e;
        }
    }

    /** Reads the header of {@code path}; the file's name must agree with it. */
    static SegmentFile readHeader(FileIo io, Path path) throws IOException, CorruptFileException {
        byte[] bytes;
        try (InputStream in = io.read(path)) {
            bytes = in.readNBytes(HEADER_BYTES);
        }
        if (bytes.length < HEADER_BYTES) {
            throw new CorruptFileException(path, bytes.length, "segment header cut short");
        }
        ByteBuffer header = ByteBuffer.wrap(bytes);
        if (header.getInt() != MAGIC) {
            throw new CorruptFileException(path, 0, "not a pbkv log segment (bad magic)");
        }
        int version = header.getInt();
        if (version != FORMAT_VERSION) {
            throw new CorruptFileException(path, 4, "segment format version " + version + ", this pbkv reads " + FORMAT_VERSION);
        }
        long generation = header.getLong();
        long firstIndex = header.getLong();
        if (header.getInt() != crc(bytes)) {
            throw new CorruptFileException(path, 24, "segment header checksum mismatch");
        }
        if (!pathFor(path.getParent(), firstIndex).equals(path)) {
            throw new CorruptFileException(path, 16, "header says first index " + firstIndex + ", the name does not");
        }
        return new SegmentFile(path, generation, firstIndex);
    }

    private static int crc(byte[] header) {
        CRC32C crc = new CRC32C();
        crc.update(header, 0, HEADER_BYTES - 4);
        return (int) crc.getValue();
    }
}
