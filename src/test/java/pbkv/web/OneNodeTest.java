package pbkv.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One real node on a random port: the initial primary of a two-node cluster whose backup never
 * runs (a majority of one lets it keep its lease alone), with a fresh data dir removed afterwards,
 * and plain HTTP calls to it. A subclass adds its settings with {@code @TestPropertySource}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "node.id=primary",
        "cluster.members[0].id=primary",
        "cluster.members[0].url=http://127.0.0.1:1",
        "cluster.members[1].id=backup",
        "cluster.members[1].url=http://127.0.0.1:2",
        "cluster.initial-primary=primary",
        "failover.allow-unsafe-two-node=true",
        "cluster.secret=" + OneNodeTest.SECRET,
})
@Timeout(120)
abstract class OneNodeTest {

    static final String SECRET = "one-node-test-secret";
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static Path dataDir;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws IOException {
        dataDir = Files.createTempDirectory("pbkv-one-node-test");
        Path dir = dataDir;
        registry.add("node.data-dir", dir::toString);
    }

    @AfterAll
    static void removeDataDir() throws IOException {
        if (dataDir == null || !Files.exists(dataDir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** An answer: status, headers and body, with the body as JSON (an empty object if blank). */
    record Reply(int status, HttpHeaders headers, String body) {
        JsonNode json() {
            return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        }

        String contentType() {
            return headers.firstValue("Content-Type").orElse("");
        }
    }

    Reply send(String method, String path, String body) {
        return send(method, path, body, Map.of());
    }

    Reply send(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder builder = request(path);
        headers.forEach(builder::header);
        return send(builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10));
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A problem JSON answer (RFC 9457) with the given status, and every member a client reads. */
    static void assertProblem(Reply reply, int status) {
        assertThat(reply.status()).as("status of %s", reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).as("content type of %s", reply.body()).startsWith("application/problem+json");
        JsonNode json = reply.json();
        assertThat(json.path("type").asString("")).as("type in %s", reply.body()).isNotBlank();
        assertThat(json.path("title").asString("")).as("title in %s", reply.body()).isNotBlank();
        assertThat(json.path("status").asInt()).as("status in %s", reply.body()).isEqualTo(status);
        assertThat(json.path("detail").asString("")).as("detail in %s", reply.body()).isNotBlank();
    }
}
