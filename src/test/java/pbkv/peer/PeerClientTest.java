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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
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
 * read timeout), and that the whole call stays within replication.timeout. Every test runs both
 * ways the node calls a peer ({@link Call}), which must not differ in any of it.
 */
@Timeout(60)
class PeerClientTest {

    private static final String SECRET = "s3cret-of-the-cluster";
    private static final MembershipAgreement MEMBERSHIP = new MembershipAgreement(
            ClusterFingerprint.of("test", List.of(new ClusterFingerprint.Member("node-a", "http://127.0.0.1:1", false))), Map.of(), 1);
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

    @ParameterizedTest
    @EnumSource(Call.class)
    void retriesA503ThenReturnsTheReplyAndSendsTheClusterSecret(Call call) {
        peer.stubFor(post(urlEqualTo(PATH)).inScenario(SCENARIO).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
        peer.stubFor(post(urlEqualTo(PATH)).inScenario(SCENARIO).whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("third"));
        peer.stubFor(post(urlEqualTo(PATH)).inScenario(SCENARIO).whenScenarioStateIs("third")
                .willReturn(okJson(OK_REPLY)));

        ReplicateReply reply = call.post(client(3), url(), REQUEST, ReplicateReply.class);

        assertThat(reply).isEqualTo(OK_REPLY);
        peer.verify(3, postRequestedFor(urlEqualTo(PATH)));
        peer.verify(3, postRequestedFor(urlEqualTo(PATH))
                .withHeader("Authorization", equalTo("Bearer " + SECRET))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(matchingJsonPath("$.from", equalTo("primary")))
                .withRequestBody(matchingJsonPath("$.entries[0].key", equalTo("k"))));
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void retriesAfterTheConnectionIsResetThenReturnsTheReply(Call call) {
        peer.stubFor(post(urlEqualTo(PATH)).inScenario(SCENARIO).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("recovered"));
        peer.stubFor(post(urlEqualTo(PATH)).inScenario(SCENARIO).whenScenarioStateIs("recovered")
                .willReturn(okJson(OK_REPLY)));

        ReplicateReply reply = call.post(client(3), url(), REQUEST, ReplicateReply.class);

        assertThat(reply).isEqualTo(OK_REPLY);
        peer.verify(2, postRequestedFor(urlEqualTo(PATH)));
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void retriesAfterAnEmptyResponseThenReturnsTheReply(Call call) {
        peer.stubFor(post(urlEqualTo(PATH)).inScenario(SCENARIO).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)).willSetStateTo("recovered"));
        peer.stubFor(post(urlEqualTo(PATH)).inScenario(SCENARIO).whenScenarioStateIs("recovered")
                .willReturn(okJson(OK_REPLY)));

        ReplicateReply reply = call.post(client(3), url(), REQUEST, ReplicateReply.class);

        assertThat(reply).isEqualTo(OK_REPLY);
        peer.verify(2, postRequestedFor(urlEqualTo(PATH)));
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void stopsAfterMaxRetriesWhenThePeerKeepsAnswering503(Call call) {
        peer.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503)));

        ReplicateReply reply = call.post(client(3), url(), REQUEST, ReplicateReply.class);

        assertThat(reply).isNull();
        peer.verify(1 + 3, postRequestedFor(urlEqualTo(PATH)));
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void givesUpWithinReplicationTimeoutWhenThePeerKeepsAnswering503(Call call) {
        peer.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503)));
        // So many retries allowed that only the time budget can stop the loop.
        PeerClient client = client(1_000);

        long started = System.nanoTime();
        ReplicateReply reply = call.post(client, url(), REQUEST, ReplicateReply.class);
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(reply).isNull();
        assertThat(elapsedMillis).isLessThan(TIMEOUT.toMillis() + MARGIN_MILLIS);
        // It did keep trying while the budget lasted (20, 40, 80, 160, 250 ms ... back-off).
        assertThat(peer.findAll(postRequestedFor(urlEqualTo(PATH)))).hasSizeGreaterThan(4);
    }

    /**
     * The retry policy checks its budget only between attempts, so a retry gets only what is left
     * of it as its timeout: two slow 503s must not take 2 x 700 ms, almost twice the budget.
     */
    @ParameterizedTest
    @EnumSource(Call.class)
    void givesUpWithinReplicationTimeoutWhenThePeerAnswers503Slowly(Call call) {
        peer.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503).withFixedDelay(700)));
        PeerClient client = client(1_000);

        long started = System.nanoTime();
        ReplicateReply reply = call.post(client, url(), REQUEST, ReplicateReply.class);
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(reply).isNull();
        assertThat(elapsedMillis).isLessThan(TIMEOUT.toMillis() + MARGIN_MILLIS);
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void givesUpAfterOneTimeoutWithoutRetryingWhenThePeerHangs(Call call) {
        peer.stubFor(post(urlEqualTo(PATH)).willReturn(okJson(OK_REPLY).withFixedDelay(30_000)));
        PeerClient client = client(1_000);

        long started = System.nanoTime();
        ReplicateReply reply = call.post(client, url(), REQUEST, ReplicateReply.class);
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(reply).isNull();
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(TIMEOUT.toMillis() - 50)
                .isLessThan(TIMEOUT.toMillis() + MARGIN_MILLIS);
        // A read timeout already spent the budget: it is not retried.
        peer.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void returnsTheStaleEpochReplyFromA409AfterExactlyOneRequest(Call call) {
        ReplicateReply stale = new ReplicateReply("backup", 7, ReplicateReply.Status.STALE_EPOCH, 0,
                new LogPosition(3, 11), new Configuration(5, "backup", Set.of("backup")));
        String problem = """
                {"type":"https://pbkv.dev/problems/stale-epoch","title":"Stale epoch","status":409,
                 "detail":"this node promised epoch 5 (primary backup): requests of older epochs are refused",
                 "instance":"/replicate","epoch":5,"reply":%s}""".formatted(JSON.writeValueAsString(stale));
        peer.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/problem+json").withBody(problem)));

        ReplicateReply reply = call.post(client(1_000), url(), REQUEST, ReplicateReply.class);

        assertThat(reply).isEqualTo(stale);
        assertThat(reply.status()).isEqualTo(ReplicateReply.Status.STALE_EPOCH);
        assertThat(reply.config().epoch()).isEqualTo(5);
        assertThat(reply.config().primary()).isEqualTo("backup");
        peer.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void returnsNullWithoutRetryingA409ThatCarriesNoReply(Call call) {
        peer.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"type\":\"about:blank\",\"title\":\"Conflict\",\"status\":409}")));

        ReplicateReply reply = call.post(client(1_000), url(), REQUEST, ReplicateReply.class);

        assertThat(reply).isNull();
        peer.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void doesNotRetryA401FromAPeerWithAnotherSecret(Call call) {
        peer.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/problem+json")
                .withHeader("WWW-Authenticate", "Bearer realm=\"pbkv-peers\"")
                .withBody("{\"type\":\"https://pbkv.dev/problems/unauthenticated-peer\",\"title\":\"Unauthenticated peer\","
                        + "\"status\":401,\"detail\":\"wrong cluster secret\"}")));

        ReplicateReply reply = call.post(client(1_000), url(), REQUEST, ReplicateReply.class);

        assertThat(reply).isNull();
        peer.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void doesNotRetryA400(Call call) {
        peer.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"type\":\"https://pbkv.dev/problems/malformed-body\",\"title\":\"Malformed body\","
                        + "\"status\":400,\"detail\":\"a replicate request needs from, config, prev and entries\"}")));

        ReplicateReply reply = call.post(client(1_000), url(), REQUEST, ReplicateReply.class);

        assertThat(reply).isNull();
        peer.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void doesNotRetryA500(Call call) {
        peer.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(500)));

        ReplicateReply reply = call.post(client(1_000), url(), REQUEST, ReplicateReply.class);

        assertThat(reply).isNull();
        peer.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void returnsNullInsteadOfThrowingWhenTheReplyIsNotJson(Call call) {
        peer.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("<html>not a reply</html>")));

        ReplicateReply reply = call.post(client(1_000), url(), REQUEST, ReplicateReply.class);

        assertThat(reply).isNull();
        peer.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void refusesAReplyLongerThanAMebibyteInsteadOfBufferingIt(Call call) {
        String huge = "{\"padding\":\"" + "x".repeat(2 << 20) + "\"}";
        peer.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(huge)));

        ReplicateReply reply = call.post(client(0), url(), REQUEST, ReplicateReply.class);

        assertThat(reply).isNull();
        peer.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void givesUpWithinReplicationTimeoutWhenNothingListens(Call call) {
        int port = peer.port();
        peer.stop();
        PeerClient client = client(1_000);

        long started = System.nanoTime();
        ReplicateReply reply = call.post(client, "http://127.0.0.1:" + port + PATH, REQUEST, ReplicateReply.class);
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(reply).isNull();
        assertThat(elapsedMillis).isLessThan(TIMEOUT.toMillis() + MARGIN_MILLIS);
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void givesUpWithinReplicationTimeoutWhenThePeerStopsReadingMidRequest(Call call) throws Exception {
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
            ReplicateReply reply = call.post(client, "http://127.0.0.1:" + deaf.getLocalPort() + PATH, huge, ReplicateReply.class);
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

    /**
     * The two ways the node calls a peer, which must answer alike: {@link PeerClient#post} on a
     * pool thread that waits (votes, snapshot chunks), and {@link PeerClient#postAsync} (every
     * replicate request), whose retries go to a pool.
     */
    enum Call {
        BLOCKING {
            @Override
            <T> T post(PeerClient client, String url, Object body, Class<T> type) {
                return client.post(url, body, type);
            }
        },
        ASYNC {
            @Override
            <T> T post(PeerClient client, String url, Object body, Class<T> type) {
                ExecutorService retries = Executors.newSingleThreadExecutor();
                try {
                    // Bounded well past replication.timeout: the timing tests assert the bound itself.
                    return client.postAsync(url, body, type, retries).get(TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    throw new AssertionError("the async call did not complete", e);
                } finally {
                    retries.shutdownNow();
                }
            }
        };

        abstract <T> T post(PeerClient client, String url, Object body, Class<T> type);
    }

    private PeerClient client(int maxRetries) {
        return new PeerClient(RestClient.builder(), JSON, SECRET, TIMEOUT, maxRetries, "node-a", MEMBERSHIP);
    }

    private String url() {
        return peer.baseUrl() + PATH;
    }

    private static ResponseDefinitionBuilder okJson(Object body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(JSON.writeValueAsString(body));
    }
}
