package pbkv.peer;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.web.client.RestClient;
import pbkv.core.Configuration;
import pbkv.core.LogEntry;
import pbkv.core.LogPosition;
import pbkv.core.ReplicateReply;
import pbkv.core.ReplicateRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * The peer call's failure handling against a scripted peer (WireMock): what is retried (503,
 * reset connections), what is an answer (409 stale epoch), what gives up at once (401, 400, a
 * read timeout), and that the whole call stays within replication.timeout.
 */
@Timeout(60)
class PeerClientTest {

    private static final String SECRET = "s3cret-of-the-cluster";
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** Scheduling noise allowed on top of replication.timeout (a small, shared 2-core box). */
    private static final long MARGIN_MILLIS = 300;
    private static final String PATH = "/replicate";
    private static final String SCENARIO = "flaky peer";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WireMockServer peer = new WireMockServer(options().dynamicPort());

    private static final ReplicateRequest REQUEST = new ReplicateRequest("primary", 7,
            new Configuration(3, "primary", Set.of("primary", "backup")), new LogPosition(3, 10),
            List.of(new LogEntry(3, 11, "k", "v")), 10);

    private static final ReplicateReply OK_REPLY = new ReplicateReply("backup", 7, ReplicateReply.Status.OK, 11,
            new LogPosition(3, 11), new Configuration(3, "primary", Set.of("primary", "backup")));

    @BeforeEach
    void start() {
        peer.start();
        // Warm the HTTP stack (class loading, JIT) so the timing tests measure the retry policy.
        peer.stubFor(post(urlEqualTo("/warm-up")).willReturn(okJson(OK_REPLY)));
        client(3).post(peer.baseUrl() + "/warm-up", REQUEST, ReplicateReply.class);
        peer.resetAll();
    }

    @AfterEach
    void stop() {
        peer.stop();
    }

    @Test
    void retriesA503ThenReturnsTheReplyAndSendsTheClusterSecret() {
        peer.stubFor(post(urlEqualTo(PATH)).inScenario(SCENARIO).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
        peer.stubFor(post(urlEqualTo(PATH)).inScenario(SCENARIO).whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("third"));
        peer.stubFor(post(urlEqualTo(PATH)).inScenario(SCENARIO).whenScenarioStateIs("third")
                .willReturn(okJson(OK_REPLY)));

        ReplicateReply reply = client(3).post(url(), REQUEST, ReplicateReply.class);

        assertThat(reply).isEqualTo(OK_REPLY);
        peer.verify(3, postRequestedFor(urlEqualTo(PATH)));
        peer.verify(3, postRequestedFor(urlEqualTo(PATH))
                .withHeader("Authorization", equalTo("Bearer " + SECRET))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(matchingJsonPath("$.from", equalTo("primary")))
                .withRequestBody(matchingJsonPath("$.entries[0].key", equalTo("k"))));
    }

    @Test
    void retriesAfterTheConnectionIsResetThenReturnsTheReply() {
        peer.stubFor(post(urlEqualTo(PATH)).inScenario(SCENARIO).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("recovered"));
        peer.stubFor(post(urlEqualTo(PATH)).inScenario(SCENARIO).whenScenarioStateIs("recovered")
                .willReturn(okJson(OK_REPLY)));

        ReplicateReply reply = client(3).post(url(), REQUEST, ReplicateReply.class);

        assertThat(reply).isEqualTo(OK_REPLY);
        peer.verify(2, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void retriesAfterAnEmptyResponseThenReturnsTheReply() {
        peer.stubFor(post(urlEqualTo(PATH)).inScenario(SCENARIO).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)).willSetStateTo("recovered"));
        peer.stubFor(post(urlEqualTo(PATH)).inScenario(SCENARIO).whenScenarioStateIs("recovered")
                .willReturn(okJson(OK_REPLY)));

        ReplicateReply reply = client(3).post(url(), REQUEST, ReplicateReply.class);

        assertThat(reply).isEqualTo(OK_REPLY);
        peer.verify(2, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void stopsAfterMaxRetriesWhenThePeerKeepsAnswering503() {
        peer.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503)));

        ReplicateReply reply = client(3).post(url(), REQUEST, ReplicateReply.class);

        assertThat(reply).isNull();
        peer.verify(1 + 3, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void givesUpWithinReplicationTimeoutWhenThePeerKeepsAnswering503() {
        peer.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503)));
        // So many retries allowed that only the time budget can stop the loop.
        PeerClient client = client(1_000);

        long started = System.nanoTime();
        ReplicateReply reply = client.post(url(), REQUEST, ReplicateReply.class);
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(reply).isNull();
        assertThat(elapsedMillis).isLessThan(TIMEOUT.toMillis() + MARGIN_MILLIS);
        // It did keep trying while the budget lasted (20, 40, 80, 160, 250 ms ... back-off).
        assertThat(peer.findAll(postRequestedFor(urlEqualTo(PATH)))).hasSizeGreaterThan(4);
    }

    /**
     * Each attempt gets a full read timeout of replication.timeout, and the retry policy only checks
     * its budget between attempts, so two slow 503s take about 2 x 700 ms: almost twice the budget.
     * Product bug (PeerClient): give every attempt only the time left of the budget. Enable once fixed.
     */
    @Test
    void givesUpWithinReplicationTimeoutWhenThePeerAnswers503Slowly() {
        peer.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503).withFixedDelay(700)));
        PeerClient client = client(1_000);

        long started = System.nanoTime();
        ReplicateReply reply = client.post(url(), REQUEST, ReplicateReply.class);
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(reply).isNull();
        assertThat(elapsedMillis).isLessThan(TIMEOUT.toMillis() + MARGIN_MILLIS);
    }

    @Test
    void givesUpAfterOneTimeoutWithoutRetryingWhenThePeerHangs() {
        peer.stubFor(post(urlEqualTo(PATH)).willReturn(okJson(OK_REPLY).withFixedDelay(30_000)));
        PeerClient client = client(1_000);

        long started = System.nanoTime();
        ReplicateReply reply = client.post(url(), REQUEST, ReplicateReply.class);
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(reply).isNull();
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(TIMEOUT.toMillis() - 50)
                .isLessThan(TIMEOUT.toMillis() + MARGIN_MILLIS);
        // A read timeout already spent the budget: it is not retried.
        peer.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void returnsTheStaleEpochReplyFromA409AfterExactlyOneRequest() {
        ReplicateReply stale = new ReplicateReply("backup", 7, ReplicateReply.Status.STALE_EPOCH, 0,
                new LogPosition(3, 11), new Configuration(5, "backup", Set.of("backup")));
        String problem = """
                {"type":"https://pbkv.dev/problems/stale-epoch","title":"Stale epoch","status":409,
                 "detail":"this node promised epoch 5 (primary backup): requests of older epochs are refused",
                 "instance":"/replicate","epoch":5,"reply":%s}""".formatted(JSON.writeValueAsString(stale));
        peer.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/problem+json").withBody(problem)));

        ReplicateReply reply = client(1_000).post(url(), REQUEST, ReplicateReply.class);

        assertThat(reply).isEqualTo(stale);
        assertThat(reply.status()).isEqualTo(ReplicateReply.Status.STALE_EPOCH);
        assertThat(reply.config().epoch()).isEqualTo(5);
        assertThat(reply.config().primary()).isEqualTo("backup");
        peer.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void returnsNullWithoutRetryingA409ThatCarriesNoReply() {
        peer.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"type\":\"about:blank\",\"title\":\"Conflict\",\"status\":409}")));

        ReplicateReply reply = client(1_000).post(url(), REQUEST, ReplicateReply.class);

        assertThat(reply).isNull();
        peer.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void doesNotRetryA401FromAPeerWithAnotherSecret() {
        peer.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/problem+json")
                .withHeader("WWW-Authenticate", "Bearer realm=\"pbkv-peers\"")
                .withBody("{\"type\":\"https://pbkv.dev/problems/unauthenticated-peer\",\"title\":\"Unauthenticated peer\","
                        + "\"status\":401,\"detail\":\"wrong cluster secret\"}")));

        ReplicateReply reply = client(1_000).post(url(), REQUEST, ReplicateReply.class);

        assertThat(reply).isNull();
        peer.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void doesNotRetryA400() {
        peer.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"type\":\"https://pbkv.dev/problems/malformed-body\",\"title\":\"Malformed body\","
                        + "\"status\":400,\"detail\":\"a replicate request needs from, config, prev and entries\"}")));

        ReplicateReply reply = client(1_000).post(url(), REQUEST, ReplicateReply.class);

        assertThat(reply).isNull();
        peer.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void doesNotRetryA500() {
        peer.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(500)));

        ReplicateReply reply = client(1_000).post(url(), REQUEST, ReplicateReply.class);

        assertThat(reply).isNull();
        peer.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void returnsNullInsteadOfThrowingWhenTheReplyIsNotJson() {
        peer.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("<html>not a reply</html>")));

        ReplicateReply reply = client(1_000).post(url(), REQUEST, ReplicateReply.class);

        assertThat(reply).isNull();
        peer.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void refusesAReplyLongerThanAMebibyteInsteadOfBufferingIt() {
        String huge = "{\"padding\":\"" + "x".repeat(2 << 20) + "\"}";
        peer.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(huge)));

        ReplicateReply reply = client(0).post(url(), REQUEST, ReplicateReply.class);

        assertThat(reply).isNull();
        peer.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void givesUpWithinReplicationTimeoutWhenNothingListens() {
        int port = peer.port();
        peer.stop();
        PeerClient client = client(1_000);

        long started = System.nanoTime();
        ReplicateReply reply = client.post("http://127.0.0.1:" + port + PATH, REQUEST, ReplicateReply.class);
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(reply).isNull();
        assertThat(elapsedMillis).isLessThan(TIMEOUT.toMillis() + MARGIN_MILLIS);
    }

    @Test
    void givesUpWithinReplicationTimeoutWhenThePeerStopsReadingMidRequest() throws Exception {
        // A peer that accepts the connection and never reads (a partition dropping packets): a
        // 16 MB batch fills both socket buffers, and only the request's own timeout ends the write.
        // A blocking client with a socket (read) timeout alone would block here for good.
        try (ServerSocket deaf = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(deaf.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true); // ends when the server socket closes; never holds the JVM
            acceptor.start();
            ReplicateRequest huge = new ReplicateRequest("primary", 8, REQUEST.config(), REQUEST.prev(),
                    List.of(new LogEntry(3, 11, "k", "v".repeat(16 << 20))), 10);
            PeerClient client = client(3);

            long started = System.nanoTime();
            ReplicateReply reply = client.post("http://127.0.0.1:" + deaf.getLocalPort() + PATH, huge, ReplicateReply.class);
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

            assertThat(reply).isNull();
            assertThat(elapsedMillis).isGreaterThanOrEqualTo(TIMEOUT.toMillis() - 50)
                    .isLessThan(TIMEOUT.toMillis() + MARGIN_MILLIS);
            // Connections are accepted in order: once this last one is, every earlier one was.
            try (Socket last = new Socket(deaf.getInetAddress(), deaf.getLocalPort())) {
                await().atMost(Duration.ofSeconds(5)).until(() -> accepted.size() >= 2);
            }
            try {
                assertThat(accepted).as("the client's connections: one, not retried after the timeout").hasSize(2);
            } finally {
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }

    private PeerClient client(int maxRetries) {
        return new PeerClient(RestClient.builder(), JSON, SECRET, TIMEOUT, maxRetries);
    }

    private String url() {
        return peer.baseUrl() + PATH;
    }

    private static ResponseDefinitionBuilder okJson(Object body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(JSON.writeValueAsString(body));
    }
}
