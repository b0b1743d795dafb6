package pbkv.persistence;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import pbkv.core.DurableLog;
import pbkv.core.LogEntry;
import pbkv.core.LogPosition;
import pbkv.core.SnapshotItem;

/**
 * Disk mode: {@code snapshot.dat} (the store at a position, replaced atomically) plus
 * {@code log.dat} (entries after it, each record length-prefixed and CRC-checked so a torn
 * tail from a crash is detected and cut off at recovery). Each append is handed to the
 * operating system before it returns, which survives kill -9; with {@code fsync} it is also
 * forced to the device, which survives a power loss at the cost of latency.
 */
public final class FileDurableLog implements DurableLog, AutoCloseable {

    private final Path dir;
    private final Path logFile;
    private final Path snapshotFile;
    private final boolean fsync;
    private FileOutputStream logOut;
    private DataOutputStream out;

    public FileDurableLog(Path dir, boolean fsync) {
        this.dir = dir;
        this.logFile = dir.resolve("log.dat");
        this.snapshotFile = dir.resolve("snapshot.dat");
        this.fsync = fsync;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    @Override
    public synchronized boolean recover(RecoverySink sink) {
        try {
            boolean hadData = Files.exists(snapshotFile) || Files.exists(logFile);
            LogPosition base = LogPosition.ZERO;
            List<SnapshotItem> items = new ArrayList<>();
            if (Files.exists(snapshotFile)) {
                try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(snapshotFile), 1 << 16))) {
                    base = new LogPosition(in.readLong(), in.readLong());
                    int count = in.readInt();
                    for (int i = 0; i < count; i++) {
                        items.add(new SnapshotItem(in.readUTF(), readString(in), in.readLong()));
                    }
                }
            }
            List<LogEntry> entries = new ArrayList<>();
            long validBytes = readLog(base, entries);
            sink.base(base);
            items.forEach(sink::snapshotItem);
            entries.forEach(sink::entry);
            if (Files.exists(logFile) && Files.size(logFile) > validBytes) {
                try (FileChannel ch = FileChannel.open(logFile, StandardOpenOption.WRITE)) {
                    ch.truncate(validBytes); // a torn record from a crash mid-write: it was never acknowledged
                }
            }
            openForAppend();
            return hadData;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot recover from " + dir, e);
        }
    }

    private long readLog(LogPosition base, List<LogEntry> entries) throws IOException {
        if (!Files.exists(logFile)) {
            return 0;
        }
        long valid = 0;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(logFile), 1 << 16))) {
            while (true) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException e) {
                    return valid;
                }
                if (length <= 0 || length > 64 << 20) {
                    return valid;
                }
                long crc = in.readInt() & 0xffffffffL;
                byte[] payload = new byte[length];
                if (in.readNBytes(payload, 0, length) < length || crc(payload) != crc) {
                    return valid;
                }
                LogEntry entry = decode(payload);
                if (entry.index() > base.index()) {
                    entries.add(entry);
                }
                valid += 8 + length;
            }
        }
    }

    @Override
    public synchronized void append(List<LogEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try {
            if (out == null) {
                openForAppend();
            }
            for (LogEntry e : entries) {
                byte[] payload = encode(e);
                out.writeInt(payload.length);
                out.writeInt((int) crc(payload));
                out.write(payload);
            }
            out.flush();
            if (fsync) {
                logOut.getChannel().force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + logFile, e);
        }
    }

    @Override
    public synchronized void reset(LogPosition position, List<SnapshotItem> items) {
        Path tmp = dir.resolve("snapshot.dat.tmp");
        try {
            try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
                 DataOutputStream s = new DataOutputStream(new BufferedOutputStream(fos, 1 << 16))) {
                s.writeLong(position.epoch());
                s.writeLong(position.index());
                s.writeInt(items.size());
                for (SnapshotItem item : items) {
                    s.writeUTF(item.key());
                    writeString(s, item.value());
                    s.writeLong(item.version());
                }
                s.flush();
                fos.getChannel().force(true);
            }
            Files.move(tmp, snapshotFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            close();
            Files.deleteIfExists(logFile); // every entry it held is in the snapshot or superseded
            openForAppend();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write snapshot to " + snapshotFile, e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException ignored) {
            // closing after a crash-safe write: nothing more to save
        }
        out = null;
        logOut = null;
    }

    private void openForAppend() throws IOException {
        close();
        logOut = new FileOutputStream(logFile.toFile(), true);
        out = new DataOutputStream(new BufferedOutputStream(logOut, 1 << 16));
    }

    private static byte[] encode(LogEntry e) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + (e.value() == null ? 0 : e.value().length()));
        try (DataOutputStream d = new DataOutputStream(bytes)) {
            d.writeLong(e.epoch());
            d.writeLong(e.index());
            d.writeUTF(e.key());
            d.writeBoolean(e.value() != null);
            if (e.value() != null) {
                writeString(d, e.value());
            }
        }
        return bytes.toByteArray();
    }

    private static LogEntry decode(byte[] payload) throws IOException {
        try (DataInputStream d = new DataInputStream(new java.io.ByteArrayInputStream(payload))) {
            long epoch = d.readLong();
            long index = d.readLong();
            String key = d.readUTF();
            String value = d.readBoolean() ? readString(d) : null;
            return new LogEntry(epoch, index, key, value);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(InputStream in) throws IOException {
        DataInputStream d = in instanceof DataInputStream di ? di : new DataInputStream(in);
        int n = d.readInt();
        return new String(d.readNBytes(n), StandardCharsets.UTF_8);
    }

    private static long crc(byte[] payload) {
        CRC32 c = new CRC32();
        c.update(payload);
        return c.getValue();
    }
}
