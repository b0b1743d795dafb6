package pbkv.scenario;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import pbkv.harness.Json;
import pbkv.harness.KvClient;
import pbkv.harness.KvResponse;

/**
 * The scenarios' HTTP client: the shared {@link KvClient} (HTTP/1.1, redirects not followed: a
 * backup's 307 is an answer the report shows, not one to chase), every request with a timeout,
 * each answer recorded as an {@link Exchange} with the history's clock.
 */
final class NodeHttp {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

    private final KvClient client = new KvClient().withTimeout(REQUEST_TIMEOUT);

    Exchange put(String baseUrl, String key, String value) {
        return send("PUT", baseUrl + "/kv/" + key, value);
    }

    Exchange get(String url) {
        return send("GET", url, null);
    }

    /** A GET with extra headers (e.g. the operator's Authorization for an admin-only endpoint). */
    Exchange get(String url, Map<String, String> headers) {
        return send("GET", url, null, headers);
    }

    Exchange send(String method, String url, String body) {
        return send(method, url, body, Map.of());
    }

    private Exchange send(String method, String url, String body, Map<String, String> headers) {
        long invoked = System.nanoTime();
        KvResponse response = client.send(method, URI.create(url), body, headers);
        long completed = System.nanoTime();
        if (response.isTransportFailure()) {
            Exception failure = response.failure();
            String error = failure instanceof InterruptedException ? "interrupted"
                    : failure.getClass().getSimpleName() + ": " + failure.getMessage();
            return new Exchange(method, url, body, 0, null, null, error, invoked, completed);
        }
        return new Exchange(method, url, body, response.status(), response.header("ETag").orElse(null), response.body(),
                null, invoked, completed);
    }

    /** The {@code value} of a GET /kv answer ({"key":..,"version":..,"value":..}), or null. */
    static String value(String body) {
        return Json.text(Json.parse(body), "value");
    }

    /** A node's GET /cluster view, or null when it does not answer 200 with JSON. */
    Map<String, Object> view(String baseUrl) {
        return client.jsonObject(baseUrl + "/cluster");
    }
}
