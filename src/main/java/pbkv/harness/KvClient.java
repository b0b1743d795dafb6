package pbkv.harness;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;

/**
 * Client for a node's HTTP API (the bench, the scenarios, the tests) over the JDK HttpClient (HTTP/1.1,
 * keep-alive). Immutable: the {@code with...} methods return a view sharing the same connection pool.
 * Every request is bounded by the timeout; transport failures come back as a {@link KvResponse} with
 * status 0, never as exceptions. Redirects are not followed unless asked for: a backup's 307 is an
 * answer callers want to see. The bench's load generator sends prebuilt {@link #request}s over its own
 * {@link #newHttpClient}s, so that measuring costs no more than one request object per call.
 */
public final class KvClient {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final int MAX_REDIRECTS = 3;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient http;
    private final Duration timeout;
    private final boolean followRedirects;
    private final UnaryOperator<URI> redirectRewriter;

    public KvClient() {
        this(null);
    }

    /** For nodes that serve HTTPS: {@code tls} says whom to trust and which certificate to present; null for plain HTTP. */
    public KvClient(SSLContext tls) {
        this(newHttpClient(tls), DEFAULT_TIMEOUT, false, UnaryOperator.identity());
    }

    /** A JDK client as every caller of the nodes wants one; {@code tls} as for {@link #KvClient(SSLContext)}. */
    public static HttpClient newHttpClient(SSLContext tls) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // nodes speak HTTP/1.1; no h2c upgrade dance
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER); // 307s are followed here, visibly
        return (tls == null ? builder : builder.sslContext(tls)).build();
    }

    private KvClient(HttpClient http, Duration timeout, boolean followRedirects, UnaryOperator<URI> rewriter) {
        this.http = http;
        this.timeout = timeout;
        this.followRedirects = followRedirects;
        this.redirectRewriter = rewriter;
    }

    /** Same client, each request bounded by {@code timeout} (until the whole response is read). */
    public KvClient withTimeout(Duration timeout) {
        return new KvClient(http, timeout, followRedirects, redirectRewriter);
    }

    /** Same client, following up to {@value #MAX_REDIRECTS} 307/308 hops to their {@code Location}. */
    public KvClient followingRedirects() {
        return new KvClient(http, timeout, true, redirectRewriter);
    }

    /**
     * Same client, mapping each redirect target before following it. The harness uses this to turn a
     * primary URL as the redirecting node knows it (a link proxy) into the primary's real port.
     */
    public KvClient withRedirectRewriter(UnaryOperator<URI> rewriter) {
        return new KvClient(http, timeout, followRedirects, rewriter);
    }

    public Duration timeout() {
        return timeout;
    }

    public KvResponse put(String baseUrl, String key, String value) {
        return send("PUT", kvUri(baseUrl, key, false), value, Map.of());
    }

    /** Compare-and-set: PUT with {@code If-Match: expectedVersion}; 412 if the version moved on. */
    public KvResponse cas(String baseUrl, String key, long expectedVersion, String value) {
        return send("PUT", kvUri(baseUrl, key, false), value, Map.of("If-Match", Long.toString(expectedVersion)));
    }

    /** A (linearizable, primary-served) read. */
    public KvResponse get(String baseUrl, String key) {
        return send("GET", kvUri(baseUrl, key, false), null, Map.of());
    }

    /** {@code ?consistency=local}: the node's own copy, no redirect, possibly stale. */
    public KvResponse getLocal(String baseUrl, String key) {
        return send("GET", kvUri(baseUrl, key, true), null, Map.of());
    }

    public KvResponse delete(String baseUrl, String key) {
        return send("DELETE", kvUri(baseUrl, key, false), null, Map.of());
    }

    public KvResponse deleteIfMatch(String baseUrl, String key, long expectedVersion) {
        return send("DELETE", kvUri(baseUrl, key, false), null, Map.of("If-Match", Long.toString(expectedVersion)));
    }

    /** Any request, e.g. {@code GET /cluster}; body null means none. Follows redirects if so configured. */
    public KvResponse send(String method, URI uri, String body, Map<String, String> headers) {
        KvResponse response = sendOnce(method, uri, body, headers);
        for (int hop = 0; followRedirects && hop < MAX_REDIRECTS && response.isRedirect(); hop++) {
            if (response.location().isEmpty()) {
                return response;
            }
            URI next = redirectRewriter.apply(response.uri().resolve(response.location().get()));
            response = sendOnce(method, next, body, headers);
        }
        return response;
    }

    /** A JSON object from {@code url}, or null when the node does not answer 200 with one within the timeout. */
    public Map<String, Object> jsonObject(String url) {
        KvResponse response = send("GET", URI.create(url), null, Map.of());
        return response.status() == 200 ? Json.object(response.body()) : null;
    }

    /** The URI of {@code key} on the node at {@code baseUrl}; {@code local} asks for the node's own copy. */
    public static URI kvUri(String baseUrl, String key, boolean local) {
        // URLEncoder is for forms; a path segment wants %20, not +
        String segment = URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return URI.create(base + "/kv/" + segment + (local ? "?consistency=local" : ""));
    }

    /**
     * A request as this client sends it: {@code body} (null for none) as {@code text/plain; charset=utf-8}.
     * Immutable, so it can be sent many times.
     */
    public static HttpRequest request(String method, URI uri, byte[] body, Map<String, String> headers, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
        if (body != null) {
            request.header("Content-Type", "text/plain; charset=utf-8");
        }
        headers.forEach(request::header);
        return request.build();
    }

    private KvResponse sendOnce(String method, URI uri, String body, Map<String, String> headers) {
        HttpRequest request = request(method, uri, body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers, timeout);
        CompletableFuture<HttpResponse<String>> future = http.sendAsync(request, BodyHandlers.ofString());
        try {
            // request.timeout() only bounds the wait for the headers; this also bounds reading the body
            HttpResponse<String> response = future.get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
            return new KvResponse(response.statusCode(), response.body(), response.headers(), uri, null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return KvResponse.failed(uri, cause instanceof Exception ex ? ex : new IOException(cause));
        } catch (TimeoutException e) {
            future.cancel(true);
            return KvResponse.failed(uri, e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return KvResponse.failed(uri, e);
        }
    }
}
