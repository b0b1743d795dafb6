package pbkv.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One directed network link A→B as an in-process TCP proxy: A is given {@code 127.0.0.1:port()} as B's
 * address, and every connection A opens is forwarded to B's real port. Both directions of those
 * connections pass through here, so cutting the link also silences B's replies to A, while B's own
 * connections to A (a different link) are unaffected.
 *
 * <p>Blocking sockets, four daemon threads per connection (a reader and a writer per direction, so a
 * delayed chunk never holds up reading the next one). Modes switch at runtime and apply per chunk.
 */
public final class LinkProxy implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;

    private final String name;
    private final InetSocketAddress upstream;
    private final ServerSocket listener;
    private final ExecutorService threads;
    private final Set<ProxiedConnection> connections = new HashSet<>(); // guarded by this
    private volatile LinkMode mode = LinkMode.PASS;

    /** Opens a proxy on an ephemeral loopback port forwarding to {@code 127.0.0.1:upstreamPort}. */
    public static LinkProxy open(String name, int upstreamPort) {
        return new LinkProxy(name, new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort));
    }

    public LinkProxy(String name, InetSocketAddress upstream) {
        this.name = name;
        this.upstream = upstream;
        this.threads = Executors.newCachedThreadPool(daemonThreads("link-" + name));
        try {
            listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            threads.shutdownNow();
            throw new UncheckedIOException("cannot open proxy " + name, e);
        }
        Thread acceptor = daemonThreads("link-" + name + "-accept").newThread(this::acceptLoop);
        acceptor.start();
    }

    public String name() {
        return name;
    }

    /** The loopback port the proxy listens on; give {@code http://127.0.0.1:port()} to the sending node. */
    public int port() {
        return listener.getLocalPort();
    }

    public InetSocketAddress upstream() {
        return upstream;
    }

    public LinkMode mode() {
        return mode;
    }

    /** Number of client connections currently being proxied (or held in a blackhole). */
    public synchronized int openConnections() {
        return connections.size();
    }

    /** Heal: forward everything. Blackholed connections are reset, their byte stream is already broken. */
    public void pass() {
        switchTo(LinkMode.PASS);
    }

    /**
     * Partition: existing connections are reset (RST) before this returns, new ones are accepted and reset
     * immediately, so senders fail fast with "connection reset" instead of hanging. Nothing is delivered
     * after this returns. For a silent partition where requests time out instead, use {@code lossy(1.0, s)}.
     */
    public void cut() {
        switchTo(LinkMode.CUT);
    }

    /** Every chunk, in both directions, is forwarded {@code latency} after it was read. */
    public void delay(Duration latency) {
        switchTo(new LinkMode.Delay(latency));
    }

    /**
     * Lossy link. With probability {@code p} per new connection and per chunk read (either direction) the
     * connection is blackholed: from then on nothing more is forwarded in either direction, not even a FIN,
     * but the sockets stay open. That is what a TCP connection looks like to the application while its
     * segments keep getting dropped and retransmissions back off: the request neither completes nor
     * fails, and the sender's own timeout has to fire. Dropping single chunks instead would corrupt the
     * byte stream, which real loss never does. A blackholed connection ends when its client closes it or
     * the link leaves lossy mode (then it is reset). {@code p = 1} is a silent partition, {@code p = 0}
     * behaves like pass. The seed makes the sequence of draws reproducible; which connection gets which
     * draw still depends on thread timing.
     */
    public void lossy(double p, long seed) {
        switchTo(new LinkMode.Lossy(p, seed));
    }

    /** Stops listening and resets every connection. Idempotent. */
    @Override
    public void close() {
        if (switchTo(LinkMode.CLOSED)) {
            try {
                listener.close();
            } catch (IOException ignored) {
                // nothing useful to do, the port is released either way
            }
            threads.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "LinkProxy[" + name + " :" + port() + " -> " + upstream.getPort() + ", " + mode + "]";
    }

    /** @return false if the proxy was already closed (then nothing changes) */
    private boolean switchTo(LinkMode next) {
        List<ProxiedConnection> doomed = new ArrayList<>();
        synchronized (this) {
            if (mode instanceof LinkMode.Closed) {
                return false;
            }
            mode = next;
            boolean resetAll = next instanceof LinkMode.Cut || next instanceof LinkMode.Closed;
            for (ProxiedConnection connection : connections) {
                if (resetAll || (!(next instanceof LinkMode.Lossy) && connection.isBlackholed())) {
                    doomed.add(connection);
                }
            }
        }
        doomed.forEach(ProxiedConnection::reset);
        return true;
    }

    private void acceptLoop() {
        while (!(mode instanceof LinkMode.Closed)) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
                continue; // transient accept failure (e.g. the client gave up already)
            }
            try {
                ProxiedConnection connection = new ProxiedConnection(this, client, upstream, CONNECT_TIMEOUT_MILLIS);
                if (!register(connection)) {
                    connection.reset();
                    continue;
                }
                if (mode instanceof LinkMode.Lossy lossy && lossy.loses()) {
                    connection.blackhole(); // the "SYN" was lost: the client's request will never be answered
                }
                connection.start(threads);
            } catch (RuntimeException e) {
                // e.g. the pool rejecting work while closing; a dead acceptor would silently stall the link
                System.err.println("link " + name + ": dropping a connection: " + e);
                closeQuietly(client);
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing more to do with a connection we are dropping
        }
    }

    /** Registration and mode switches share the lock, so a cut either sees the connection or vetoes it. */
    private synchronized boolean register(ProxiedConnection connection) {
        if (mode instanceof LinkMode.Cut || mode instanceof LinkMode.Closed) {
            return false;
        }
        connections.add(connection);
        return true;
    }

    synchronized void unregister(ProxiedConnection connection) {
        connections.remove(connection);
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    static void sleepUntil(long dueNanos) throws InterruptedException {
        long wait = dueNanos - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait); // this is the simulated latency, not a wait for a condition
        }
    }
}
