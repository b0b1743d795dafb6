package pbkv.persistence;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import pbkv.core.LogEntry;

/**
 * One log entry as a record: length (4 bytes), CRC32C of length and payload (4 bytes), payload
 * (epoch, index, key, value or a delete marker). The length is checked, so a corrupt length can
 * neither pass nor make a reader allocate gigabytes.
 */
final class RecordCodec {

    static final int FRAME_BYTES = 8;
    /** A limit on one record: far above kv.max-value-size, far below what a reader could not hold. */
    static final int MAX_PAYLOAD_BYTES = 64 << 20;
    private static final int DELETE_MARKER = -1;

    private RecordCodec() {
    }

    static ByteBuffer encode(LogEntry entry) {
        byte[] key = entry.key().getBytes(StandardCharsets.UTF_8);
        byte[] value = entry.isDelete() ? null : entry.value().getBytes(StandardCharsets.UTF_8);
        int payloadBytes = 8 + 8 + 4 + key.length + 4 + (value == null ? 0 : value.length);
        if (payloadBytes > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("log entry " + entry.index() + " is " + payloadBytes + " bytes, above the limit of "
                    + MAX_PAYLOAD_BYTES);
        }
        ByteBuffer record = ByteBuffer.allocate(FRAME_BYTES + payloadBytes);
        record.putInt(payloadBytes).putInt(0).putLong(entry.epoch()).putLong(entry.index()).putInt(key.length).put(key);
        if (value == null) {
            record.putInt(DELETE_MARKER);
        } else {
            record.putInt(value.length).put(value);
        }
        record.putInt(4, crc(payloadBytes, record.array(), FRAME_BYTES, payloadBytes));
        return record.flip();
    }

    static boolean plausibleLength(int payloadBytes) {
        return payloadBytes >= 24 && payloadBytes <= MAX_PAYLOAD_BYTES;
    }

    static int crc(int payloadBytes, byte[] payload, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(4).putInt(payloadBytes).flip());
        crc.update(payload, offset, length);
        return (int) crc.getValue();
    }

    /** Decodes a payload whose CRC matched; throws IllegalArgumentException if it is still malformed. */
    static LogEntry decode(byte[] payload) {
        ByteBuffer in = ByteBuffer.wrap(payload);
        long epoch = in.getLong();
        long index = in.getLong();
        String key = readString(in, in.getInt());
        int valueBytes = in.getInt();
        String value = valueBytes == DELETE_MARKER ? null : readString(in, valueBytes);
        if (in.hasRemaining()) {
            throw new IllegalArgumentException("trailing bytes after the value");
        }
        return new LogEntry(epoch, index, key, value);
    }

    private static String readString(ByteBuffer in, int bytes) {
        if (bytes < 0 || bytes > in.remaining()) {
            throw new IllegalArgumentException("string length " + bytes + " beyond the record");
        }
        String s = new String(in.array(), in.position(), bytes, StandardCharsets.UTF_8);
        in.position(in.position() + bytes);
        return s;
    }
}
