package pbkv.link;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client connection accepted by a {@link LinkProxy} and its upstream connection. Each direction has
 * a reader (socket → queue, stamping the due time) and a writer (queue → socket, waiting for the due
 * time), so delays add latency without reordering or accumulating. Half-closes are propagated; any
 * error resets both sockets, as a broken path would.
 */
final class ProxiedConnection {

    private static final int CHUNK_SIZE = 16 * 1024;
    private static final int QUEUED_CHUNKS = 64;

    private record Chunk(byte[] bytes, long dueNanos) {
    }

    private static final Chunk END_OF_STREAM = new Chunk(new byte[0], 0);

    private final LinkProxy proxy;
    private final Socket client;
    private final Socket server = new Socket();
    private final InetSocketAddress upstream;
    private final int connectTimeoutMillis;
    private final List<Future<?>> tasks = new CopyOnWriteArrayList<>();
    private final AtomicInteger openDirections = new AtomicInteger(2);
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile boolean blackholed;

    ProxiedConnection(LinkProxy proxy, Socket client, InetSocketAddress upstream, int connectTimeoutMillis) {
        this.proxy = proxy;
        this.client = client;
        this.upstream = upstream;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    void start(ExecutorService threads) {
        tasks.add(threads.submit(() -> connectAndPump(threads)));
    }

    boolean isBlackholed() {
        return blackholed;
    }

    /** From now on nothing is forwarded in either direction, see {@link LinkProxy#lossy(double, long)}. */
    void blackhole() {
        blackholed = true;
    }

    /** Aborts the connection: RST on both sockets, all pump threads stop. Idempotent. */
    void reset() {
        finish(true);
    }

    private void connectAndPump(ExecutorService threads) {
        try {
            server.connect(upstream, connectTimeoutMillis);
            if (server.getLocalPort() == server.getPort()) {
                // Linux "self-connect": nobody listens upstream and the kernel picked the target port as
                // our source port. Treat it as the refusal it really is, and free the port again.
                throw new IOException("self-connect to " + upstream + ", upstream is down");
            }
            server.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
        } catch (IOException e) {
            reset(); // upstream down: the client sees its connection reset, like a host that is gone
            return;
        }
        BlockingQueue<Chunk> request = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
        BlockingQueue<Chunk> reply = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
        tasks.add(threads.submit(() -> read(server, reply, false)));
        tasks.add(threads.submit(() -> write(reply, client)));
        tasks.add(threads.submit(() -> write(request, server)));
        if (finished.get()) {
            tasks.forEach(task -> task.cancel(true)); // a reset raced with submitting: stop the new tasks too
            return;
        }
        read(client, request, true);
    }

    private void read(Socket from, BlockingQueue<Chunk> queue, boolean fromClient) {
        byte[] buffer = new byte[CHUNK_SIZE];
        try {
            InputStream in = from.getInputStream();
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    if (blackholed && fromClient) {
                        reset(); // the client gave up on the dead connection; drop the upstream side too
                    } else {
                        queue.put(END_OF_STREAM);
                    }
                    return;
                }
                LinkMode mode = proxy.mode();
                if (!blackholed && mode instanceof LinkMode.Lossy lossy && lossy.loses()) {
                    blackhole();
                }
                if (blackholed) {
                    continue; // discard, as a lossy link would
                }
                if (mode instanceof LinkMode.Cut || mode instanceof LinkMode.Closed) {
                    reset();
                    return;
                }
                long due = mode instanceof LinkMode.Delay delay
                        ? System.nanoTime() + delay.latency().toNanos()
                        : System.nanoTime();
                queue.put(new Chunk(Arrays.copyOf(buffer, n), due));
            }
        } catch (IOException | InterruptedException e) {
            reset();
        }
    }

    private void write(BlockingQueue<Chunk> queue, Socket to) {
        try {
            OutputStream out = to.getOutputStream();
            while (true) {
                Chunk chunk = queue.take();
                if (chunk == END_OF_STREAM) {
                    if (!blackholed) {
                        to.shutdownOutput(); // propagate the half-close (FIN)
                    }
                    if (openDirections.decrementAndGet() == 0) {
                        finish(false);
                    }
                    return;
                }
                LinkProxy.sleepUntil(chunk.dueNanos());
                LinkMode mode = proxy.mode();
                if (blackholed) {
                    continue;
                }
                if (mode instanceof LinkMode.Cut || mode instanceof LinkMode.Closed) {
                    reset();
                    return;
                }
                out.write(chunk.bytes());
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            reset();
        }
    }

    private void finish(boolean abort) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        closeSocket(client, abort);
        closeSocket(server, abort);
        tasks.forEach(task -> task.cancel(true)); // wakes writers waiting on their queue or a delay
        proxy.unregister(this);
    }

    private static void closeSocket(Socket socket, boolean abort) {
        try {
            if (abort && !socket.isClosed()) {
                socket.setSoLinger(true, 0); // close with RST: the peer fails now instead of seeing a clean EOF
            }
        } catch (IOException ignored) {
            // not connected yet; a plain close is all we can do
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
