package pbkv.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import pbkv.core.Configuration;
import pbkv.core.LogEntry;
import pbkv.core.LogPosition;
import pbkv.core.ReplicateRequest;
import pbkv.peer.PeerHeaders;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real node as the backup of a primary this test plays by hand over HTTP: replayed batches are
 * ignored, a deposed primary is refused with 409 after a newer epoch, peer calls without the
 * secret get 401, an oversized header is refused, and the node stays healthy throughout.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "node.id=backup",
        "cluster.members[0].id=primary",
        "cluster.members[0].url=http://127.0.0.1:1",
        "cluster.members[1].id=backup",
        "cluster.members[1].url=http://127.0.0.1:1",
        "cluster.initial-primary=primary",
        "cluster.secret=" + BackupUnderAbuseTest.SECRET,
        "replication.timeout=300ms",
})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(60)
class BackupUnderAbuseTest {

    static final String SECRET = "abuse-secret";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Configuration EPOCH_1 = new Configuration(1, "primary", Set.of("primary"));
    private static final Configuration EPOCH_2 = new Configuration(2, "primary", Set.of("primary", "backup"));
    private static final Configuration EPOCH_3 = new Configuration(3, "primary", Set.of("primary"));

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("pbkv-abuse");
        registry.add("node.data-dir", dir::toString);
    }

    private HttpResponse<String> replicate(ReplicateRequest request, String secret) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/replicate"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + secret)
                .header(PeerHeaders.FINGERPRINT, get("/cluster").path("membership").path("fingerprint").asString())
                .header(PeerHeaders.MEMBER, "primary")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static ReplicateRequest batch(Configuration config, long requestId, LogPosition prev, List<LogEntry> entries) {
        return new ReplicateRequest("primary", requestId, config, prev, entries, entries.isEmpty() ? prev.index()
                : entries.get(entries.size() - 1).index());
    }

    @Test
    @Order(1)
    void replayedBatchesAreAcknowledgedWithoutApplyingTwice() throws Exception {
        ReplicateRequest first = batch(EPOCH_1, 1, LogPosition.ZERO,
                List.of(new LogEntry(1, 1, "k", "v1"), new LogEntry(1, 2, "k", "v2")));
        assertThat(replicate(first, SECRET).statusCode()).isEqualTo(200);
        ReplicateRequest second = batch(EPOCH_1, 2, new LogPosition(1, 2), List.of(new LogEntry(1, 3, "j", "x")));
        assertThat(replicate(second, SECRET).statusCode()).isEqualTo(200);

        HttpResponse<String> replay = replicate(first, SECRET);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(replay.headers().firstValue("Content-Length")).as("one write, not chunked")
                .hasValue(Integer.toString(replay.body().length()));
        assertThat(JSON.readTree(replay.body()).path("matched").asLong()).isEqualTo(2);
        JsonNode local = get("/kv/k?consistency=local");
        assertThat(local.path("value").asString()).isEqualTo("v2");
        assertThat(local.path("version").asLong()).isEqualTo(2);
        assertThat(get("/kv").path("lastIndex").asLong()).isEqualTo(3);
    }

    @Test
    @Order(2)
    void aBatchFromBeyondTheLogEndIsAGapNotAnApply() throws Exception {
        ReplicateRequest gap = batch(EPOCH_1, 3, new LogPosition(1, 10), List.of(new LogEntry(1, 11, "k", "from-the-future")));
        HttpResponse<String> response = replicate(gap, SECRET);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("status").asString()).isEqualTo("MISMATCH");
        assertThat(get("/kv/k?consistency=local").path("value").asString()).isEqualTo("v2");
    }

    @Test
    @Order(3)
    void aDeposedPrimaryIsRefusedOnceANewerEpochWasSeen() throws Exception {
        assertThat(replicate(batch(EPOCH_3, 4, new LogPosition(1, 3), List.of()), SECRET).statusCode()).isEqualTo(200);
        ReplicateRequest old = batch(EPOCH_2, 5, new LogPosition(1, 3), List.of(new LogEntry(2, 4, "k", "zombie")));
        HttpResponse<String> refused = replicate(old, SECRET);
        assertThat(refused.statusCode()).isEqualTo(409);
        JsonNode problem = JSON.readTree(refused.body());
        assertThat(problem.path("title").asString()).isEqualTo("Stale epoch");
        assertThat(problem.path("epoch").asLong()).isEqualTo(3);
        assertThat(get("/kv/k?consistency=local").path("value").asString()).isEqualTo("v2");
    }

    @Test
    @Order(4)
    void peerCallsWithoutOrWithAWrongSecretAre401AndChangeNothing() throws Exception {
        ReplicateRequest write = batch(new Configuration(9, "primary", Set.of("primary")), 6, new LogPosition(1, 3),
                List.of(new LogEntry(9, 4, "k", "forged")));
        assertThat(replicate(write, "wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> vote = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/replicate/vote"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(vote.statusCode()).isEqualTo(401);
        assertThat(vote.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        assertThat(get("/kv/k?consistency=local").path("value").asString()).isEqualTo("v2");
        assertThat(get("/cluster").path("promisedEpoch").asLong()).isEqualTo(3);
    }

    @Test
    @Order(5)
    void anOversizedHeaderIsRefusedAndTheNodeStaysHealthy() throws Exception {
        HttpResponse<String> huge = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/kv/k"))
                .header("X-Filler", "x".repeat(64 * 1024)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(huge.statusCode()).isBetween(400, 499);
        HttpResponse<String> longPath = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/kv/"
                + "a".repeat(4000))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(longPath.statusCode()).isEqualTo(400);
        assertThat(get("/actuator/health").path("status").asString()).isEqualTo("UP");
    }
}
