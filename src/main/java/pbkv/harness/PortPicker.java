package pbkv.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for the nodes of one cluster (the bench's, the scenarios' and the tests').
 * Two things make this more than "bind port 0":
 * <ul>
 *   <li>Ports come from <em>below</em> the kernel's ephemeral range. A node port inside it can,
 *       once the node is killed, become the source port of a connection to it, and Linux then
 *       connects the socket to itself: the caller reads its own request back as the "reply", and
 *       the port stays taken so the node cannot restart.</li>
 *   <li>Ports stay bound until {@link #release()}, so proxies or nodes picked in between cannot
 *       get the same one; the window between release and the node binding it is the only race.</li>
 * </ul>
 */
public final class PortPicker implements AutoCloseable {

    private static final int LOWEST = 10_000;
    private static final int ATTEMPTS = 200;

    private final List<ServerSocket> held = new ArrayList<>();

    /** Reserves one more port and returns it; it stays bound until {@link #release()}. */
    public int reserve() {
        int below = ephemeralRangeStart();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; below - LOWEST > 1_000 && attempt < ATTEMPTS; attempt++) {
            ServerSocket socket = tryBind(random.nextInt(LOWEST, below));
            if (socket != null) {
                held.add(socket);
                return socket.getLocalPort();
            }
        }
        ServerSocket socket = tryBind(0); // no usable range below the ephemeral one: take the kernel's pick
        if (socket == null) {
            throw new UncheckedIOException(new IOException("cannot reserve a free loopback port"));
        }
        held.add(socket);
        return socket.getLocalPort();
    }

    /** A port nobody listens on right now (for tests that need a refused connection). */
    public int reserveAndRelease() {
        int port = reserve();
        release();
        return port;
    }

    /** Unbinds every reserved port, right before the processes that will listen on them start. */
    public void release() {
        for (ServerSocket socket : held) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a listening socket that never accepted cannot meaningfully fail
            }
        }
        held.clear();
    }

    @Override
    public void close() {
        release();
    }

    private static ServerSocket tryBind(int port) {
        try {
            ServerSocket socket = new ServerSocket();
            try {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return socket;
            } catch (IOException inUse) {
                socket.close();
                return null;
            }
        } catch (IOException e) {
            return null;
        }
    }

    /** Linux publishes its range; elsewhere assume the IANA range (macOS and Windows use it by default). */
    public static int ephemeralRangeStart() {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        try {
            if (Files.isReadable(range)) {
                // readAllLines, not readString: /proc files report size 0 and readString may stop early
                return Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException ignored) {
            // fall through to the default
        }
        return 49_152;
    }
}
