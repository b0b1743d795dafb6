package pbkv.peer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;
import org.apache.hc.core5.util.Timeout;

/**
 * Two limits on every peer exchange, as a link of the HTTP client's own execution chain.
 * <ul>
 * <li>The exchange, from sending the request to the reply's headers, ends by its response
 * timeout. A socket timeout bounds each read, not a write: a batch of megabytes to a peer that
 * stopped reading (a partition dropping packets) would block its thread until TCP gave up, many
 * minutes later. Past the deadline the connection is closed, which ends a blocked write or read at
 * once, and the call fails as a timeout (never retried: it spent its budget).</li>
 * <li>A reply body longer than a limit is refused, not buffered: a peer's replies are a few
 * hundred bytes, and a wrong URL must not make a node read whatever answers there.</li>
 * </ul>
 * One sweeper thread checks the deadlines every few milliseconds. A timer per call would be
 * exact, but it wakes a thread per call, and peer calls are where the primary's CPU goes.
 */
final class PeerExchangeLimits implements ExecChainHandler, AutoCloseable {

    private final Set<Exchange> inFlight = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper;
    private final int maxReplyBytes;

    /** An exchange in flight; {@code expired} is set by the sweeper only. */
    private static final class Exchange {
        private final ExecRuntime connection;
        private final long deadlineNanos;
        private volatile boolean expired;

        Exchange(ExecRuntime connection, long deadlineNanos) {
            this.connection = connection;
            this.deadlineNanos = deadlineNanos;
        }
    }

    PeerExchangeLimits(Duration sweepEvery, int maxReplyBytes) {
        this.maxReplyBytes = maxReplyBytes;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "peer-deadlines");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::closeExpired, sweepEvery.toNanos(), sweepEvery.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        Timeout budget = scope.clientContext.getRequestConfigOrDefault().getResponseTimeout();
        if (budget == null || budget.isDisabled()) {
            return capped(chain.proceed(request, scope));
        }
        Exchange exchange = new Exchange(scope.execRuntime, System.nanoTime() + budget.toNanoseconds());
        inFlight.add(exchange);
        try {
            return capped(chain.proceed(request, scope));
        } catch (IOException e) {
            if (exchange.expired) {
                SocketTimeoutException timeout = new SocketTimeoutException("no reply within " + budget);
                timeout.initCause(e);
                throw timeout;
            }
            throw e;
        } finally {
            inFlight.remove(exchange);
        }
    }

    private void closeExpired() {
        long now = System.nanoTime();
        for (Exchange exchange : inFlight) {
            if (now - exchange.deadlineNanos > 0) {
                exchange.expired = true;
                // Closes the connection (a no-op once it is closed, or before one is leased: the
                // wait for a pooled connection has its own timeout).
                exchange.connection.discardEndpoint();
            }
        }
    }

    private ClassicHttpResponse capped(ClassicHttpResponse response) {
        HttpEntity entity = response.getEntity();
        if (entity != null) {
            response.setEntity(new HttpEntityWrapper(entity) {
                @Override
                public InputStream getContent() throws IOException {
                    if (entity.getContentLength() > maxReplyBytes) {
                        throw tooLong();
                    }
                    return new CappedStream(super.getContent());
                }
            });
        }
        return response;
    }

    private IOException tooLong() {
        return new IOException("peer reply longer than " + maxReplyBytes + " bytes");
    }

    /** Counts what is read and fails once it passes the limit (the caller then closes the connection). */
    private final class CappedStream extends FilterInputStream {
        private long left = maxReplyBytes;

        CappedStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && --left < 0) {
                throw tooLong();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0 && (left -= n) < 0) {
                throw tooLong();
            }
            return n;
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
