package pbkv.persistence;

import java.nio.file.Path;

/** A file whose bytes at {@code offset} are not what this package wrote: a checked signal, so that each caller decides. */
final class CorruptFileException extends Exception {
    private final Path file;
    private final long offset;

    CorruptFileException(Path file, long offset, String reason) {
        super(file + " at offset " + offset + ": " + reason);
        this.file = file;
        this.offset = offset;
    }

    Path file() {
        return file;
    }

    long offset() {
        return offset;
    }
}
