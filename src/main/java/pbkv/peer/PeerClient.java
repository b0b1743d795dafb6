package pbkv.peer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * HTTP calls to a peer: RestClient over Apache HttpClient's blocking, pooled HTTP/1.1 (keep-alive
 * connections per peer, each call made on the calling thread), the cluster secret as a bearer
 * token, and Spring Framework 7's RetryTemplate for the failures a retry can fix (503, refused or
 * reset connections) within replication.timeout. A timeout is not retried: it already used the
 * budget. A 409 (stale epoch) is an answer, not a failure: it is returned at once and never
 * retried. {@link #post} never throws.
 *
 * <p>Why not the JDK HttpClient: it hands every call from the caller to its selector thread and
 * back through executor threads. With two backups at 64 clients, those threads cost the primary
 * ~50 us of CPU per client write (async-profiler), on a 2-core machine that the primary shares
 * with the clients. A blocking call costs the calling thread one sleep and one wake-up.
 */
public final class PeerClient implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("pbkv.peer");
    /** A peer's replies (acknowledgements, votes, problem details) are a few hundred bytes. */
    private static final int MAX_REPLY_BYTES = 1 << 20;
    /** Above the transport's threads per peer, so that a call never waits for a connection. */
    private static final int MAX_CONNECTIONS_PER_PEER = 32;

    private final RestClient restClient;
    private final RetryTemplate retryTemplate;
    private final ObjectMapper json;
    private final PeerExchangeLimits limits;
    private final CloseableHttpClient httpClient;
    private final Duration timeout;

    public PeerClient(RestClient.Builder builder, ObjectMapper json, String secret, Duration timeout, int maxRetries) {
        this.timeout = timeout;
        // Deadlines are checked every tenth of the timeout, at most 100 ms and at least 10 ms late.
        Duration sweep = timeout.dividedBy(10);
        sweep = sweep.compareTo(Duration.ofMillis(10)) < 0 ? Duration.ofMillis(10)
                : sweep.compareTo(Duration.ofMillis(100)) > 0 ? Duration.ofMillis(100) : sweep;
        this.limits = new PeerExchangeLimits(sweep, MAX_REPLY_BYTES);
        this.httpClient = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnPerRoute(MAX_CONNECTIONS_PER_PEER)
                        .setMaxConnTotal(4 * MAX_CONNECTIONS_PER_PEER)
                        .setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true).build())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(timeout))
                                .setSocketTimeout(Timeout.of(timeout))
                                // A node restarted since: its old connections are found dead
                                // before use, not by a failed request.
                                .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                                .build())
                        .build())
                .addExecInterceptorFirst("pbkv-peer-limits", limits)
                .disableAutomaticRetries() // the RetryTemplate decides, within replication.timeout
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .build();
        this.restClient = builder.clone()
                .requestFactory(requestFactory(timeout))
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + secret)
                .build();
        this.json = json;
        RetryPolicy policy = RetryPolicy.builder()
                .maxRetries(maxRetries)
                .delay(Duration.ofMillis(20))
                .multiplier(2)
                .maxDelay(timeout.dividedBy(4))
                .timeout(timeout)
                .predicate(PeerClient::isRetryable)
                .build();
        this.retryTemplate = new RetryTemplate(policy);
    }

    /** The peer's reply, or null if it could not be had (unreachable, refused, timed out). */
    public <T> T post(String url, Object body, Class<T> replyType) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int[] attempt = {0};
        try {
            return retryTemplate.execute(() -> postOnce(attempt[0]++ == 0 ? restClient : clientFor(deadline), url, body, replyType));
        } catch (RetryException e) {
            LOG.log(System.Logger.Level.DEBUG, "peer call {0} failed: {1}", url, e.getLastException().toString());
            return null;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "peer call {0} failed: {1}", url, e.toString());
            return null;
        }
    }

    /**
     * One GET through the whole client stack (RestClient, Apache HttpClient, body handling). A backup
     * sends nothing until it campaigns, so otherwise its first peer call ever is a failover's
     * pre-vote, and it pays for loading and compiling that stack.
     */
    public void warmUp(String url) {
        try {
            restClient.get().uri(url).retrieve().toBodilessEntity();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "warm-up call {0} failed: {1}", url, e.toString());
        }
    }

    /**
     * A retry gets only what is left of replication.timeout as its read timeout, so the whole call
     * stays within it. Retries are rare, so building a client for one is cheap enough.
     */
    private RestClient clientFor(long deadlineNanos) {
        long leftNanos = deadlineNanos - System.nanoTime();
        if (leftNanos <= 0) {
            throw new IllegalStateException("replication.timeout spent");
        }
        return restClient.mutate().requestFactory(requestFactory(Duration.ofNanos(leftNanos))).build();
    }

    /** Calls that end by {@code timeout}: {@link PeerExchangeLimits} closes the connection then. */
    private HttpComponentsClientHttpRequestFactory requestFactory(Duration timeout) {
        HttpComponentsClientHttpRequestFactory factory = new HttpComponentsClientHttpRequestFactory(httpClient);
        factory.setReadTimeout(timeout);
        factory.setConnectionRequestTimeout(timeout);
        return factory;
    }

    private <T> T postOnce(RestClient client, String url, Object body, Class<T> replyType) {
        try {
            return client.post().uri(url).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().body(replyType);
        } catch (HttpStatusCodeException e) {
            if (e.getStatusCode().value() == HttpStatus.CONFLICT.value()) {
                // Stale epoch: the problem JSON carries the peer's reply (its newer configuration).
                JsonNode problem = json.readTree(e.getResponseBodyAsString());
                return json.treeToValue(problem.get("reply"), replyType);
            }
            throw e;
        }
    }

    static boolean isRetryable(Throwable failure) {
        if (failure instanceof HttpStatusCodeException status) {
            return status.getStatusCode().value() == HttpStatus.SERVICE_UNAVAILABLE.value();
        }
        if (failure instanceof ResourceAccessException access) {
            Throwable cause = access.getCause();
            // Timeouts (connect, read, the whole exchange) are InterruptedIOExceptions.
            return cause instanceof IOException && !(cause instanceof InterruptedIOException);
        }
        return false;
    }

    @Override
    public void close() {
        limits.close();
        try {
            httpClient.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the peer HTTP client: {0}", e.toString());
        }
    }
}
