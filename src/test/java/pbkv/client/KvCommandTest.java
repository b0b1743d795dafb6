package pbkv.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** bin/kv against stand-in nodes: it follows the primary, tries the next member, and exits with the outcome. */
class KvCommandTest {

    private static final String PROBLEM = "application/problem+json";
    // Started once per class; the extension resets stubs and recorded requests before each test.
    @RegisterExtension
    static final WireMockExtension backup = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();
    @RegisterExtension
    static final WireMockExtension primary = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void getFollowsTheRedirectToThePrimaryAndPrintsTheValue() {
        backup.stubFor(get("/kv/k").willReturn(aResponse().withStatus(307).withHeader("Location", url(primary) + "/kv/k")));
        primary.stubFor(get("/kv/k").willReturn(json(200, "{\"key\":\"k\",\"value\":\"hello\",\"version\":7}")));

        assertThat(kv("--members", url(backup) + "," + url(primary), "get", "k")).isEqualTo(0);
        assertThat(out.toString()).isEqualTo("hello\n");
    }

    @Test
    void aRefusedConnectionOrA503ThatAppliedNothingMovesOnToTheNextMember() throws IOException {
        backup.stubFor(put("/kv/k").willReturn(aResponse().withStatus(503).withHeader("Content-Type", PROBLEM)
                .withBody("{\"title\":\"No primary\",\"outcome\":\"not-applied\"}")));
        primary.stubFor(put("/kv/k").willReturn(json(200, "{\"key\":\"k\",\"value\":\"v\",\"version\":3}")));

        assertThat(kv("--members", closedPort() + "," + url(backup) + "," + url(primary), "put", "k", "v")).isEqualTo(0);
        assertThat(out.toString()).isEqualTo("OK version 3\n");
    }

    @Test
    void aWriteWhoseOutcomeIsUnknownIsNotResentAndExitsThree() {
        backup.stubFor(put("/kv/k").willReturn(aResponse().withStatus(503).withHeader("Content-Type", PROBLEM)
                .withBody("{\"title\":\"Unavailable\",\"detail\":\"lost the lease\",\"outcome\":\"unknown\"}")));

        assertThat(kv("--members", url(backup) + "," + url(primary), "put", "k", "v")).isEqualTo(3);
        assertThat(err.toString()).contains("503 Unavailable: lost the lease");
        primary.verify(0, anyRequestedFor(urlPathEqualTo("/kv/k")));
    }

    @Test
    void noMemberAnsweringBeforeTheDeadlineExitsThree() throws IOException {
        assertThat(kv("--members", closedPort(), "--deadline", "500ms", "get", "k")).isEqualTo(3);
        assertThat(err.toString()).contains("unavailable: no member answered within 500 ms");
    }

    @Test
    void notFoundExitsOneAndAVersionMismatchExitsTwo() {
        primary.stubFor(get("/kv/gone").willReturn(json(404, "{\"title\":\"Key not found\",\"detail\":\"no key gone\"}")));
        primary.stubFor(put("/kv/k").withHeader("If-Match", equalTo("\"4\""))
                .willReturn(json(412, "{\"title\":\"Version mismatch\",\"detail\":\"the current version is 5\"}")));

        assertThat(kv("--members", url(primary), "get", "gone")).isEqualTo(1);
        assertThat(kv("--members", url(primary), "cas", "k", "4", "v")).isEqualTo(2);
        assertThat(err.toString()).contains("404 Key not found: no key gone", "412 Version mismatch: the current version is 5");
        primary.verify(putRequestedFor(urlEqualTo("/kv/k")).withRequestBody(equalTo("v")));
    }

    @Test
    void jsonPrintsTheNodesAnswerForScripts() {
        primary.stubFor(get(urlPathEqualTo("/kv")).willReturn(json(200,
                "{\"count\":1,\"truncated\":false,\"entries\":[{\"key\":\"a/1\",\"value\":\"x\",\"version\":2}]}")));

        assertThat(kv("--members", url(primary), "--json", "list", "a/")).isEqualTo(0);
        assertThat(out.toString().strip()).startsWith("{\"count\":1").contains("\"key\":\"a/1\"");
        assertThat(kv("--members", url(primary), "list", "a/")).isEqualTo(0);
        assertThat(out.toString()).contains("a/1 = x  (version 2)", "1 keys");
    }

    @Test
    void membersComeFromTheConfigFileWithoutTheWitness(@TempDir Path dir) throws IOException {
        primary.stubFor(any(urlPathEqualTo("/kv/k")).willReturn(json(200, "{\"key\":\"k\",\"deleted\":true}")));
        Path config = dir.resolve("application.yml");
        Files.writeString(config, """
                cluster:
                  members:
                    - id: witness
                      url: %s
                      witness: true
                    - id: primary
                      url: %s/
                """.formatted(url(backup), url(primary)));

        assertThat(kv("--config", config.toString(), "del", "k")).isEqualTo(0);
        assertThat(out.toString()).isEqualTo("deleted k\n");
        backup.verify(0, anyRequestedFor(urlPathEqualTo("/kv/k")));
    }

    @Test
    void watchFindsThePrimaryAndPrintsItsEventsOneLineEach() {
        String view = "{\"id\":\"backup\",\"primary\":\"primary\",\"members\":[{\"id\":\"primary\",\"url\":\"%s\"},"
                + "{\"id\":\"backup\",\"url\":\"%s\"}]}";
        backup.stubFor(get("/cluster").willReturn(json(200, view.formatted(url(primary), url(backup)))));
        primary.stubFor(get("/cluster/events").willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                .withBody("""
                        id:17
                        event:replica
                        data:{"id":17,"at":"2026-12-03T12:00:00Z","kind":"role","line":"node=primary role=PRIMARY epoch=2"}

                        event:stats
                        data:{"writesPerSecond":0.0,"meanLatencyMs":null,"maxLatencyMs":null}

                        id:18
                        event:replica
                        data:{"id":18,"at":"2026-12-03T12:00:01Z","kind":"catch-up","line":"node=primary peer backup caught up"}

                        """)));

        assertThat(kv("--members", url(backup), "watch", "--count", "2")).isEqualTo(0);
        assertThat(out.toString()).isEqualTo("""
                2026-12-03T12:00:00Z role      node=primary role=PRIMARY epoch=2
                2026-12-03T12:00:01Z catch-up  node=primary peer backup caught up
                """);
    }

    @Test
    void statusShowsEveryMembersOwnViewAndMarksASilentOneDown() throws IOException {
        String down = closedPort();
        primary.stubFor(get("/cluster").willReturn(json(200, ("{\"id\":\"primary\",\"role\":\"PRIMARY\",\"epoch\":4,"
                + "\"inSync\":[\"primary\"],\"lastIndex\":9,\"commitIndex\":9,\"members\":[{\"id\":\"primary\",\"url\":\"%s\"},"
                + "{\"id\":\"backup\",\"url\":\"%s\"}]}").formatted(url(primary), down))));

        assertThat(kv("--members", url(primary), "status")).isEqualTo(0);
        assertThat(out.toString()).containsPattern("primary +http\\S+ +PRIMARY +4 +\\[\"primary\"\\] +9 +9")
                .containsPattern("backup +http\\S+ +DOWN +- ");
    }

    @Test
    void badUsageExitsSixtyFour() {
        assertThat(kv("--members", url(primary), "cas", "k", "not-a-number", "v")).isEqualTo(64);
    }

    private int kv(String... args) {
        out.getBuffer().setLength(0);
        return Kv.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", status < 300 ? "application/json" : PROBLEM).withBody(body);
    }

    private static String url(WireMockExtension server) {
        return "http://127.0.0.1:" + server.getPort();
    }

    /** A port nothing listens on: connecting to it is refused at once. */
    private static String closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }
}
