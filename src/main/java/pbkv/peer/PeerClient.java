package pbkv.peer;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * HTTP calls to a peer: one keep-alive connection pool (JDK HttpClient, HTTP/1.1) shared by all
 * peers, the cluster secret as a bearer token, and Spring Framework 7's RetryTemplate for the
 * failures a retry can fix (503, refused or reset connections) within replication.timeout. A
 * read timeout is not retried: it already used the budget. A 409 (stale epoch) is an answer,
 * not a failure: it is returned at once and never retried. {@link #post} never throws.
 */
public final class PeerClient {

    private static final System.Logger LOG = System.getLogger("pbkv.peer");
    /** A peer's replies (acknowledgements, votes, problem details) are a few hundred bytes. */
    private static final int MAX_REPLY_BYTES = 1 << 20;

    private final RestClient restClient;
    private final RetryTemplate retryTemplate;
    private final ObjectMapper json;
    private final HttpClient httpClient;
    private final Duration timeout;

    public PeerClient(RestClient.Builder builder, ObjectMapper json, String secret, Duration timeout, int maxRetries) {
        this.timeout = timeout;
        // The client's own steps run on the thread that gets to them (Runnable::run) instead of
        // being handed to an executor: the exchange starts and writes on the caller's thread, and
        // the selector thread that reads the reply also completes it. With an executor each call
        // woke two more threads (one to start the exchange, one to finish it), and on a 2-core
        // machine a wake-up costs more CPU than the small body it carries. The handlers here never
        // block (whole byte arrays in and out), which is what running on the selector needs.
        this.httpClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .executor(Runnable::run)
                .build();
        this.restClient = builder.clone()
                .requestFactory(new WholeBodyJdkRequestFactory(httpClient, timeout, MAX_REPLY_BYTES))
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
     * One GET through the whole client stack (RestClient, JDK HttpClient, body handling). A backup
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
        return restClient.mutate().requestFactory(new WholeBodyJdkRequestFactory(httpClient, Duration.ofNanos(leftNanos), MAX_REPLY_BYTES)).build();
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
            return cause instanceof IOException && !(cause instanceof HttpTimeoutException);
        }
        return false;
    }
}
