package pbkv.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for the nodes of one cluster. They come from below the kernel's ephemeral
 * range: a node port inside it can, once the node is killed, become the source port of a
 * connection to itself (Linux then connects the socket to itself), which would wreck a failover
 * or catch-up trial that restarts a node. The ports stay bound until {@link #release()}.
 */
final class PortPicker implements AutoCloseable {

    private static final int LOWEST = 10_000;

    private final List<ServerSocket> held = new ArrayList<>();

    int reserve() throws IOException {
        int below = ephemeralRangeStart();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; below - LOWEST > 1_000 && attempt < 200; attempt++) {
            ServerSocket socket = tryBind(random.nextInt(LOWEST, below));
            if (socket != null) {
                held.add(socket);
                return socket.getLocalPort();
            }
        }
        ServerSocket socket = tryBind(0);
        if (socket == null) {
            throw new IOException("cannot reserve a free loopback port");
        }
        held.add(socket);
        return socket.getLocalPort();
    }

    /** Unbinds the reserved ports right before the nodes that will listen on them start. */
    void release() {
        for (ServerSocket s : held) {
            try {
                s.close();
            } catch (IOException ignored) {
                // a listening socket that never accepted has nothing to flush
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

    private static int ephemeralRangeStart() {
        try {
            // readAllLines: /proc files report size 0 and readString may stop early
            return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0)
                    .trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 49_152;
        }
    }
}
