package pbkv.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * HTTP to the nodes with the JDK client, HTTP/1.1 with keep-alive (the client pools connections
 * and reuses one per concurrent request). Redirects are not followed: a 307 from a backup is an
 * answer the bench wants to see, not to chase. Requests are immutable and reusable, so the load
 * generator builds each one once ({@link #put}, {@link #get}) and sends it many times.
 */
final class KvHttp {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client;

    KvHttp() {
        this.client = newClient();
    }

    static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    static HttpRequest put(String baseUrl, String key, byte[] value, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(baseUrl + "/kv/" + key)).timeout(timeout)
                .header("Content-Type", "text/plain; charset=utf-8")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(value)).build();
    }

    static HttpRequest get(String baseUrl, String key, boolean local) {
        return HttpRequest.newBuilder(URI.create(baseUrl + "/kv/" + key + (local ? "?consistency=local" : "")))
                .timeout(REQUEST_TIMEOUT).GET().build();
    }

    /** A JSON object from {@code url}, or null when the node does not answer 200 with JSON within 2 s. */
    Map<String, Object> json(String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return response.statusCode() == 200 ? BenchJson.object(response.body()) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A value of {@code size} printable ASCII bytes; its content does not matter to the store. */
    static byte[] value(int size, long seed) {
        byte[] v = new byte[size];
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < size; i++) {
            v[i] = (byte) ('a' + random.nextInt(26));
        }
        return v;
    }

    static String key(long i) {
        return "k" + i;
    }
}
