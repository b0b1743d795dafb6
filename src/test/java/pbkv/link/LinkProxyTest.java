package pbkv.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class LinkProxyTest {

    private EchoServer echo;
    private LinkProxy proxy;
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        echo = new EchoServer();
        proxy = LinkProxy.open("test", echo.port());
    }

    @AfterEach
    void tearDown() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        proxy.close();
        echo.close();
    }

    @Test
    void passForwardsBothDirectionsIntact() throws IOException {
        Socket socket = connect();
        assertThat(roundTrip(socket, "hello")).isEqualTo("hello");

        byte[] big = new byte[1 << 20];
        new Random(7).nextBytes(big);
        socket.getOutputStream().write(big);
        assertThat(socket.getInputStream().readNBytes(big.length)).isEqualTo(big);
    }

    @Test
    void halfCloseIsPropagated() throws IOException {
        Socket socket = connect();
        socket.getOutputStream().write("bye".getBytes(StandardCharsets.UTF_8));
        socket.shutdownOutput(); // echo server sees EOF, closes, and that EOF must come back through the proxy
        assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("bye");
    }

    @Test
    void cutKillsExistingConnectionsAndDeliversNothing() throws IOException {
        Socket existing = connect();
        assertThat(roundTrip(existing, "before")).isEqualTo("before");
        long receivedBeforeCut = echo.received();

        proxy.cut();

        assertThat(proxy.openConnections()).isZero();
        assertBroken(existing, "after");
        Socket fresh = new Socket();
        sockets.add(fresh);
        fresh.setSoTimeout(2_000);
        try {
            fresh.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port()), 2_000);
            assertBroken(fresh, "new");
        } catch (SocketException refusedOrReset) {
            // also acceptable: the connect itself was refused or reset
        }
        assertThat(echo.received()).isEqualTo(receivedBeforeCut);
    }

    @Test
    void passAfterCutHeals() throws IOException {
        proxy.cut();
        proxy.pass();
        assertThat(roundTrip(connect(), "healed")).isEqualTo("healed");
    }

    @Test
    void delayAddsLatencyToEachDirection() throws IOException {
        Duration latency = Duration.ofMillis(200);
        proxy.delay(latency);
        Socket socket = connect();

        long start = System.nanoTime();
        assertThat(roundTrip(socket, "slow")).isEqualTo("slow");
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(elapsed).isBetween(latency.multipliedBy(2), Duration.ofSeconds(2));
    }

    @Test
    void delayedChunksDoNotAccumulateLatency() throws Exception {
        proxy.delay(Duration.ofMillis(200));
        Socket socket = connect();
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            socket.getOutputStream().write(("chunk" + i).getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            Thread.sleep(20); // separate writes become separate chunks
        }
        String echoed = new String(socket.getInputStream().readNBytes(30), StandardCharsets.UTF_8);
        assertThat(echoed).isEqualTo("chunk0chunk1chunk2chunk3chunk4");
        // about 400 ms + the 100 ms of writing; if each chunk waited behind the previous one it would be >2 s
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1_200));
    }

    @Test
    void lossyWithCertainLossBlackholesSilently() throws IOException {
        proxy.lossy(1.0, 42);
        Socket socket = connect();
        socket.setSoTimeout(500);
        socket.getOutputStream().write("lost".getBytes(StandardCharsets.UTF_8));

        // neither an answer nor a reset/EOF: the sender only learns through its own timeout
        assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        assertThat(echo.received()).isZero();
        assertThat(proxy.openConnections()).isEqualTo(1);

        proxy.pass(); // a blackholed stream cannot resume, so healing resets it
        socket.setSoTimeout(2_000);
        assertBroken(socket, "again");
        await().atMost(Duration.ofSeconds(2)).until(() -> proxy.openConnections() == 0);
        assertThat(roundTrip(connect(), "fine")).isEqualTo("fine");
    }

    @Test
    void lossyWithNoLossPasses() throws IOException {
        proxy.lossy(0.0, 42);
        assertThat(roundTrip(connect(), "fine")).isEqualTo("fine");
    }

    @Test
    void lossyFailsSomeExchangesAndNotOthers() throws Exception {
        proxy.lossy(0.3, 1234);
        int exchanges = 30;
        ExecutorService pool = Executors.newFixedThreadPool(exchanges);
        try {
            List<Future<Boolean>> outcomes = new ArrayList<>();
            for (int i = 0; i < exchanges; i++) {
                String message = "m" + i;
                outcomes.add(pool.submit(() -> {
                    try (Socket socket = connect()) {
                        socket.setSoTimeout(500);
                        return roundTrip(socket, message).equals(message);
                    } catch (IOException timedOutOrBroken) {
                        return false;
                    }
                }));
            }
            long succeeded = 0;
            for (Future<Boolean> outcome : outcomes) {
                succeeded += outcome.get() ? 1 : 0;
            }
            // three draws per exchange (connection, request, reply): ~34% succeed; all or none is ~1e-6
            assertThat(succeeded).isBetween(1L, exchanges - 1L);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closeStopsListeningAndResetsConnections() throws IOException {
        Socket existing = connect();
        assertThat(roundTrip(existing, "x")).isEqualTo("x");
        int port = proxy.port();

        proxy.close();

        assertBroken(existing, "y");
        // the kernel socket goes away once the acceptor thread has left accept(), a moment after close()
        await().atMost(Duration.ofSeconds(2)).until(() -> nobodyListensOn(port));
        assertThat(proxy.mode()).isInstanceOf(LinkMode.Closed.class);
    }

    @Test
    void rejectsNonsenseModes() {
        assertThatThrownBy(() -> proxy.lossy(1.5, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> proxy.delay(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    private static boolean nobodyListensOn(int port) throws IOException {
        try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return probe.getLocalPort() == port; // Linux self-connect: possible only when nobody listens
        } catch (ConnectException refused) {
            return true;
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        socket.setSoTimeout(2_000);
        synchronized (sockets) {
            sockets.add(socket);
        }
        return socket;
    }

    private static String roundTrip(Socket socket, String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return new String(socket.getInputStream().readNBytes(bytes.length), StandardCharsets.UTF_8);
    }

    /** The connection is dead: writing or reading fails or hits EOF, and no echo comes back. */
    private static void assertBroken(Socket socket, String message) {
        try {
            socket.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            int read = socket.getInputStream().read();
            assertThat(read).as("read on a broken connection").isEqualTo(-1);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("connection still open (read timed out), expected it to be reset", e);
        } catch (IOException expected) {
            // reset by the proxy
        }
    }

    /** Echoes every byte back and counts what it received, so a test can prove nothing got through. */
    static final class EchoServer implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final ExecutorService threads = Executors.newCachedThreadPool(LinkProxy.daemonThreads("echo"));
        private final AtomicLong received = new AtomicLong();

        EchoServer() throws IOException {
            threads.submit(this::acceptLoop);
        }

        int port() {
            return listener.getLocalPort();
        }

        long received() {
            return received.get();
        }

        private void acceptLoop() {
            while (!listener.isClosed()) {
                try {
                    Socket socket = listener.accept();
                    threads.submit(() -> echo(socket));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void echo(Socket socket) {
            try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    received.addAndGet(n);
                    out.write(Arrays.copyOf(buffer, n));
                    out.flush();
                }
            } catch (IOException ignored) {
                // connection reset by the proxy: that is what the tests provoke
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
            threads.shutdownNow();
        }
    }
}
