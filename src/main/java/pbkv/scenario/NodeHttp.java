package pbkv.scenario;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The scenarios' HTTP client: JDK, HTTP/1.1, redirects not followed (a backup's 307 is an answer
 * the report shows, not one to chase), every request with a timeout.
 */
final class NodeHttp {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).followRedirects(HttpClient.Redirect.NEVER).build();

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
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT);
        headers.forEach(request::header);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "text/plain; charset=utf-8")
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        long invoked = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Exchange(method, url, body, response.statusCode(), response.headers().firstValue("ETag").orElse(null),
                    response.body(), null, invoked, System.nanoTime());
        } catch (IOException e) {
            return new Exchange(method, url, body, 0, null, null, e.getClass().getSimpleName() + ": " + e.getMessage(),
                    invoked, System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Exchange(method, url, body, 0, null, null, "interrupted", invoked, System.nanoTime());
        }
    }

    /** The {@code value} of a GET /kv answer ({"key":..,"version":..,"value":..}), or null. */
    static String value(String body) {
        try {
            Object value = JSON.readValue(body, new TypeReference<Map<String, Object>>() { }).get("value");
            return value == null ? null : value.toString();
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    /** A node's GET /cluster view, or null when it does not answer 200 with JSON. */
    Map<String, Object> view(String baseUrl) {
        Exchange e = get(baseUrl + "/cluster");
        if (e.status() != 200) {
            return null;
        }
        try {
            return JSON.readValue(e.responseBody(), new TypeReference<Map<String, Object>>() { });
        } catch (RuntimeException notJson) {
            return null;
        }
    }
}
