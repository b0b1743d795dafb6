package pbkv.peer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLParameters;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.client.HttpServerErrorException;
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
 * {@link #postAsync} is the same call without a thread waiting on it, for the one call that is
 * made for every batch of client writes.
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
    private final String authorization;
    private final String self;
    private final MembershipAgreement membership;
    private final boolean tls;

    /**
     * @param self       this node's member id, sent with every call so the peer can tell who it refused
     * @param membership this node's fingerprint, sent with every call, and where the peers' answers to it go
     */
    public PeerClient(RestClient.Builder builder, ObjectMapper json, String secret, Duration timeout, int maxRetries,
                      String self, MembershipAgreement membership) {
        this(builder, json, secret, timeout, maxRetries, self, membership, null);
    }

    /** With {@code tls} (a Spring Boot SSL bundle) for https peer urls; null for plain HTTP only. */
    public PeerClient(RestClient.Builder builder, ObjectMapper json, String secret, Duration timeout, int maxRetries,
                      String self, MembershipAgreement membership, SslBundle tls) {
        this.timeout = timeout;
        this.tls = tls != null;
        this.authorization = "Bearer " + secret;
        this.self = self;
        this.membership = membership;
        // The client's own steps run on the thread that gets to them (Runnable::run) instead of
        // being handed to an executor: the exchange starts and writes on the caller's thread, and
        // the selector thread that reads the reply also completes it. With an executor each call
        // woke two more threads (one to start the exchange, one to finish it), and on a 2-core
        // machine a wake-up costs more CPU than the small body it carries. The handlers here never
        // block (whole byte arrays in and out), which is what running on the selector needs.
        this.httpClient = withTls(HttpClient.newBuilder(), tls)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .executor(Runnable::run)
                .build();
        this.restClient = builder.clone()
                .requestFactory(new WholeBodyJdkRequestFactory(httpClient, timeout, MAX_REPLY_BYTES))
                .defaultHeader(HttpHeaders.AUTHORIZATION, authorization)
                .defaultHeader(PeerHeaders.FINGERPRINT, membership.own().value())
                .defaultHeader(PeerHeaders.MEMBER, self)
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

    /**
     * The bundle's trust material verifies the peers' certificates, and its key, if it has one, is presented when a
     * peer asks for a client certificate (mutual TLS). The JDK client checks each peer's host name against its
     * certificate (endpoint identification), which stays on: that check is what makes the url name the member.
     */
    private static HttpClient.Builder withTls(HttpClient.Builder builder, SslBundle tls) {
        if (tls == null) {
            return builder;
        }
        builder.sslContext(tls.createSslContext());
        SslOptions options = tls.getOptions();
        if (options.isSpecified()) {
            SSLParameters parameters = new SSLParameters(options.getCiphers(), options.getEnabledProtocols());
            builder.sslParameters(parameters);
        }
        return builder;
    }

    /** "https" if this client speaks TLS, else "http". */
    String scheme() {
        return tls ? "https" : "http";
    }

    /** The peer's reply, or null if it could not be had (unreachable, refused, timed out). */
    public <T> T post(String url, Object body, Class<T> replyType) {
        return postWithRetries(url, body, replyType, System.nanoTime() + timeout.toNanos(), null);
    }

    /**
     * The retry loop of {@link #post}; with a {@code firstFailure}, the first attempt was made by
     * {@link #postAsync} and failed so, and only the retries are left (same count, same back-off,
     * within what is left of the same budget).
     */
    private <T> T postWithRetries(String url, Object body, Class<T> replyType, long deadline, RuntimeException firstFailure) {
        int[] attempt = {0};
        try {
            return retryTemplate.execute(() -> {
                int n = attempt[0]++;
                if (n == 0 && firstFailure != null) {
                    throw firstFailure;
                }
                return postOnce(n == 0 ? restClient : clientFor(deadline), url, body, replyType);
            });
        } catch (RetryException e) {
            LOG.log(System.Logger.Level.DEBUG, "peer call {0} failed: {1}", url, e.getLastException().toString());
            return null;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "peer call {0} failed: {1}", url, e.toString());
            return null;
        }
    }

    /**
     * The same call as {@link #post}, started on the caller's thread and returning at once; the
     * future completes with the reply (or null, as {@link #post} returns). The JDK client completes
     * it on a thread of the common pool (see {@code PbkvApplication}), where its dependents run:
     * they must not block long. No thread waits on the call: {@link #post} on a pool thread cost
     * a wake-up to start it and another to hand it the reply, per batch and per backup, plus
     * RestClient's per-call work, on a 2-core machine where the primary's CPU is the limit. Only
     * a failure a retry can fix (503, refused or reset connection) goes on to {@link #post}'s
     * retries, run on {@code retries} (if that pool drops them, the future never completes: a
     * lost reply, which the protocol tolerates). Same body, headers, limits and answers as
     * {@link #post}.
     */
    public <T> CompletableFuture<T> postAsync(String url, Object body, Class<T> replyType, Executor retries) {
        CompletableFuture<T> reply = new CompletableFuture<>();
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(timeout)
                    .header(HttpHeaders.AUTHORIZATION, authorization)
                    .header(PeerHeaders.FINGERPRINT, membership.own().value())
                    .header(PeerHeaders.MEMBER, self)
                    .header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                    .build();
            long deadline = System.nanoTime() + timeout.toNanos();
            httpClient.sendAsync(request, response -> new BoundedBody(MAX_REPLY_BYTES)).handle((response, failure) -> {
                RuntimeException retryable = retryableFailure(response, failure);
                if (retryable != null) {
                    retries.execute(() -> reply.complete(postWithRetries(url, body, replyType, deadline, retryable)));
                } else if (failure != null) {
                    LOG.log(System.Logger.Level.DEBUG, "peer call {0} failed: {1}", url, failure.toString());
                    reply.complete(null);
                } else {
                    reply.complete(replyOf(url, response, replyType));
                }
                return null;
            }).exceptionally(bug -> {
                // Only a bug in the handling above gets here: the call's own failures are answers.
                LOG.log(System.Logger.Level.ERROR, "handling the reply to " + url + " failed", bug);
                reply.complete(null);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "peer call {0} not made: {1}", url, e.toString());
            reply.complete(null);
        }
        return reply;
    }

    /** The first attempt's failure as RestClient would have thrown it, if {@link #isRetryable}; else null. */
    private static RuntimeException retryableFailure(HttpResponse<byte[]> response, Throwable failure) {
        if (failure == null) {
            return response.statusCode() != HttpStatus.SERVICE_UNAVAILABLE.value() ? null
                    : HttpServerErrorException.create(HttpStatus.SERVICE_UNAVAILABLE, "", HttpHeaders.EMPTY, null, null);
        }
        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        RuntimeException seen = new ResourceAccessException("I/O error: " + cause, cause instanceof IOException io ? io : null);
        return isRetryable(seen) ? seen : null;
    }

    /** A 200's body, or a 409's stale-epoch reply; null for anything else, as {@link #post} does. */
    private <T> T replyOf(String url, HttpResponse<byte[]> response, Class<T> replyType) {
        try {
            if (response.statusCode() == HttpStatus.OK.value()) {
                membership.agreed(membership.peerAt(url));
                return json.readValue(response.body(), replyType);
            } else if (response.statusCode() == HttpStatus.CONFLICT.value()) {
                return conflictReply(url, response.headers().firstValue(PeerHeaders.FINGERPRINT).orElse(null), response.body(), replyType);
            }
            LOG.log(System.Logger.Level.DEBUG, "peer call {0} answered {1}", url, response.statusCode());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "peer call {0}: unreadable reply: {1}", url, e.toString());
        }
        return null;
    }

    /**
     * A 409 is a stale epoch, whose problem carries the peer's reply (its newer configuration), or
     * a refusal of our fingerprint, which carries the peer's: no reply, and the peer is recorded
     * as one that differs.
     */
    private <T> T conflictReply(String url, String theirFingerprint, byte[] problemJson, Class<T> replyType) {
        if (theirFingerprint != null && !theirFingerprint.equals(membership.own().value())) {
            membership.differs(membership.peerAt(url), theirFingerprint, false);
            return null;
        }
        membership.agreed(membership.peerAt(url));
        return staleEpochReply(problemJson, replyType);
    }

    private <T> T staleEpochReply(byte[] problemJson, Class<T> replyType) {
        JsonNode problem = json.readTree(problemJson);
        return json.treeToValue(problem.get("reply"), replyType);
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
            T reply = client.post().uri(url).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().body(replyType);
            membership.agreed(membership.peerAt(url));
            return reply;
        } catch (HttpStatusCodeException e) {
            if (e.getStatusCode().value() == HttpStatus.CONFLICT.value()) {
                HttpHeaders headers = e.getResponseHeaders();
                return conflictReply(url, headers == null ? null : headers.getFirst(PeerHeaders.FINGERPRINT),
                        e.getResponseBodyAsByteArray(), replyType);
            }
            throw e;
        }
    }

    static boolean isRetryable(Throwable failure) {
        if (failure instanceof HttpStatusCodeException status) {
            return status.getStatusCode().value() == HttpStatus.SERVICE_UNAVAILABLE.value();
        }
        if (failure instanceof ResourceAccessException access) {
            // Not a timeout: it already used the budget a retry would need.
            Throwable cause = access.getCause();
            return cause instanceof IOException && !(cause instanceof HttpTimeoutException);
        }
        return false;
    }
}
