package pbkv.persistence;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import pbkv.core.LogEntry;

/** Streams the records of one segment, one entry at a time, keeping the offset of the last good one. */
final class SegmentReader implements Closeable {

    private final Path path;
    private final InputStream in;
    private long validBytes = SegmentFile.HEADER_BYTES;

    SegmentReader(FileIo io, SegmentFile segment) throws IOException {
        this.path = segment.path();
        this.in = new BufferedInputStream(io.read(path), 1 << 16);
        in.skipNBytes(SegmentFile.HEADER_BYTES);
    }

    /**
     * The next entry, or null at a clean end of the file. A record that is cut short, fails its
     * checksum or does not decode is thrown as corrupt at its offset, which {@link #validBytes}
     * still points at.
     */
    LogEntry next() throws IOException, CorruptFileException {
        byte[] frame = in.readNBytes(RecordCodec.FRAME_BYTES);
        if (frame.length == 0) {
            return null;
        }
        if (frame.length < RecordCodec.FRAME_BYTES) {
            throw bad("record header cut short");
        }
        ByteBuffer header = ByteBuffer.wrap(frame);
        int length = header.getInt();
        int crc = header.getInt();
        if (!RecordCodec.plausibleLength(length)) {
            throw bad("implausible record length " + length);
        }
        byte[] payload = in.readNBytes(length);
        if (payload.length < length) {
            throw bad("record cut short: " + payload.length + " of " + length + " bytes");
        }
        if (crc != RecordCodec.crc(length, payload, 0, length)) {
            throw bad("record checksum mismatch");
        }
        LogEntry entry;
        try {
            entry = RecordCodec.decode(payload);
        } catch (IllegalArgumentException e) {
            throw bad("malformed record: " + e.getMessage());
        }
        validBytes += RecordCodec.FRAME_BYTES + length;
        return entry;
    }

    /** The end of the last good record: where a torn tail is cut off. */
    long validBytes() {
        return validBytes;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private CorruptFileException bad(String reason) {
        return new CorruptFileException(path, validBytes, reason);
    }

    /**
     * Whether data follows a bad record at {@code badOffset}: a later record with a valid checksum,
     * or non-zero bytes that no record length explains. A crash mid-write leaves only a prefix of
     * the last write (or zeros the file system had allocated), so data after a bad record means the
     * bad record is damage inside the log, not a torn tail.
     */
    static boolean dataFollows(FileIo io, Path path, long badOffset) throws IOException {
        long size = io.size(path);
        try (InputStream in = new BufferedInputStream(io.read(path), 1 << 16)) {
            in.skipNBytes(badOffset);
            long position = badOffset;
            boolean first = true;
            while (size - position >= RecordCodec.FRAME_BYTES) {
                ByteBuffer frame = ByteBuffer.wrap(in.readNBytes(RecordCodec.FRAME_BYTES));
                int length = frame.getInt();
                int crc = frame.getInt();
                if (!RecordCodec.plausibleLength(length)) {
                    return !allZero(frame.array()) || !allZero(in.readAllBytes());
                }
                if (position + RecordCodec.FRAME_BYTES + length > size) {
                    return false;
                }
                byte[] payload = in.readNBytes(length);
                if (!first && crc == RecordCodec.crc(length, payload, 0, length)) {
                    return true;
                }
                position += RecordCodec.FRAME_BYTES + length;
                first = false;
            }
            return false;
        }
    }

    private static boolean allZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
