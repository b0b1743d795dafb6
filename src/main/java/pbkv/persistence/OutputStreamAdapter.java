package pbkv.persistence;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/** Lets the stream classes of java.io write through a {@link FileIo.Output}; closing it leaves the output open. */
final class OutputStreamAdapter extends OutputStream {
    private final FileIo.Output output;

    OutputStreamAdapter(FileIo.Output output) {
        this.output = output;
    }

    @Override
    public void write(int b) throws IOException {
        output.write(ByteBuffer.wrap(new byte[] {(byte) b}));
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        output.write(ByteBuffer.wrap(b, off, len));
    }
}
