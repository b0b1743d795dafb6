package pbkv.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may call what, one case per test, against a real single-node server (the initial primary of
 * a new cluster). {@link ClientAuthOff}: the local default, where only /cluster changes and peer
 * calls need credentials. {@link ClientAuthOn}: users, roles and key prefixes from configuration.
 * Every 401 and 403 is problem JSON naming no class.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "node.id=primary",
        "node.data-dir=target/security-test/${random.uuid}",
        "cluster.members[0].id=primary",
        "cluster.members[0].url=http://127.0.0.1:1",
        "cluster.initial-primary=primary",
        "cluster.secret=" + SecurityTest.SECRET,
        "security.admin-password=" + SecurityTest.ADMIN_PASSWORD,
        // users exist in both modes: they may authenticate for /cluster while client auth is off
        "security.users.reader.password=reader-pw",
        "security.users.reader.roles=read",
        "security.users.writer.password={noop}writer-pw",
        "security.users.writer.roles=write",
        "security.users.app.password={bcrypt}$2a$04$jaXpYvlxFVn8HfDbuZJV3uhsSZ7Pck3JbL5fBsBl8RHF3wzdd/47C", // hashed-pw
        "security.users.app.roles=read,write",
        "security.users.app.key-prefix=app:",
        "security.users.monitor.password=monitor-pw",
})
@Timeout(120)
class SecurityTest {

    static final String ADMIN_PASSWORD = "admin-pw";
    static final String SECRET = "peer-secret";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Nested
    @TestPropertySource(properties = "security.client-auth=false")
    class ClientAuthOff extends Calls {

        @Test
        void promoteWithoutCredentialsIs401WithABasicChallenge() {
            Reply reply = send("POST", "/cluster/promote?unsafe=true", null, null);

            assertProblem(reply, 401);
            assertThat(reply.header("WWW-Authenticate")).startsWith("Basic");
        }

        @Test
        void promoteWithAWrongAdminPasswordIs401() {
            assertProblem(send("POST", "/cluster/promote?unsafe=true", null, basic("admin", "not-it")), 401);
        }

        @Test
        void promoteByAUserWithoutTheAdminRoleIs403() {
            assertProblem(send("POST", "/cluster/promote?unsafe=true", null, basic("reader", "reader-pw")), 403);
            assertProblem(send("POST", "/cluster/promote?unsafe=true", null, basic("app", "hashed-pw")), 403);
        }

        @Test
        void promoteByAdminReachesTheReplicaWhichRefusesAsThisNodeIsAlreadyPrimary() {
            Reply reply = send("POST", "/cluster/promote?unsafe=true", null, basic("admin", ADMIN_PASSWORD));

            assertThat(reply.status()).as(reply.body()).isIn(200, 409);
            assertThat(reply.body()).doesNotContain("Unauthenticated", "Forbidden");
        }

        @Test
        void malformedAuthorizationHeadersOnPromoteAre401() {
            assertProblem(send("POST", "/cluster/promote?unsafe=true", null, "Basic !!!"), 401);
            assertProblem(send("POST", "/cluster/promote?unsafe=true", null, "Bearer"), 401);
            assertProblem(send("POST", "/cluster/promote?unsafe=true", null, "Bearer " + SECRET), 401);
        }

        @Test
        void theClusterViewKvAndHealthNeedNoCredentials() {
            assertThat(send("GET", "/cluster", null, null).status()).isEqualTo(200);
            assertThat(send("PUT", "/kv/open", "v", null).status()).isEqualTo(200);
            assertThat(send("GET", "/kv/open", null, null).json().path("value").asString()).isEqualTo("v");
            assertThat(send("GET", "/kv", null, null).status()).isEqualTo(200);
            assertThat(send("GET", "/actuator/health", null, null).json().has("components")).isTrue();
            assertThat(send("GET", "/actuator/prometheus", null, null).status()).isEqualTo(200);
        }

        @Test
        void theDivergenceReportIsOpenAndEmptyOnANodeThatDroppedNothing() {
            Reply reply = send("GET", "/cluster/divergence", null, null);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().path("node").asString()).isEqualTo("primary");
            assertThat(reply.json().path("dropped").asLong()).isZero();
            assertThat(reply.json().path("acknowledged").asLong()).isZero();
            assertThat(reply.json().path("entries").isArray()).isTrue();
            assertThat(reply.json().path("entries").size()).isZero();
            assertThat(send("GET", "/actuator/prometheus", null, null).body())
                    .containsPattern("pbkv_divergence_acknowledged_total\\{[^}]*} 0.0");
        }

        @Test
        void replicateWithoutTheSecretIs401WithABearerChallenge() {
            Reply reply = send("POST", "/replicate", "{}", null);

            assertProblem(reply, 401);
            assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(reply.json().path("detail").asString()).isEqualTo("peer calls need Authorization: Bearer <cluster.secret>");
        }

        @Test
        void replicateWithAWrongOrMalformedSecretIs401() {
            for (String header : new String[] {"Bearer wrong", "Bearer", "Basic !!!", SECRET, basic("admin", ADMIN_PASSWORD)}) {
                Reply reply = send("POST", "/replicate/vote", "{}", header);
                assertProblem(reply, 401);
                assertThat(reply.json().path("detail").asString()).as(header).isEqualTo("wrong cluster secret");
            }
        }

        @Test
        void replicateWithTheSecretPassesAuthentication() {
            assertPastAuthentication(send("POST", "/replicate", "{}", "Bearer " + SECRET));
        }
    }

    @Nested
    @TestPropertySource(properties = "security.client-auth=true")
    class ClientAuthOn extends Calls {

        @Test
        void kvWithoutCredentialsIs401() {
            assertProblem(send("GET", "/kv/app:a", null, null), 401);
            assertProblem(send("PUT", "/kv/app:a", "v", null), 401);
            assertProblem(send("GET", "/kv", null, null), 401);
        }

        @Test
        void aWrongPasswordIs401() {
            assertProblem(send("GET", "/kv/app:a", null, basic("reader", "wrong")), 401);
            assertProblem(send("GET", "/kv/app:a", null, basic("nobody", "reader-pw")), 401);
        }

        @Test
        void malformedAuthorizationHeadersAre401() {
            assertProblem(send("GET", "/kv/app:a", null, "Basic !!!"), 401);
            assertProblem(send("GET", "/kv/app:a", null, "Bearer"), 401);
            assertProblem(send("GET", "/kv/app:a", null, "Basic " + base64("no-colon")), 401);
        }

        @Test
        void aReaderMayReadAndListButNotWrite() {
            assertThat(send("GET", "/kv/never", null, basic("reader", "reader-pw")).status()).isEqualTo(404);
            assertThat(send("GET", "/kv", null, basic("reader", "reader-pw")).status()).isEqualTo(200);
            assertProblem(send("PUT", "/kv/r", "v", basic("reader", "reader-pw")), 403);
            assertProblem(send("DELETE", "/kv/r", null, basic("reader", "reader-pw")), 403);
        }

        @Test
        void aWriterMayWriteButNotRead() {
            assertThat(send("PUT", "/kv/w", "v", basic("writer", "writer-pw")).status()).isEqualTo(200);
            assertProblem(send("GET", "/kv/w", null, basic("writer", "writer-pw")), 403);
            assertProblem(send("GET", "/kv", null, basic("writer", "writer-pw")), 403);
        }

        @Test
        void aPrefixUserReadsAndWritesItsOwnKeys() {
            assertThat(send("PUT", "/kv/app:mine", "v", basic("app", "hashed-pw")).status()).isEqualTo(200);
            assertThat(send("GET", "/kv/app:mine", null, basic("app", "hashed-pw")).json().path("value").asString()).isEqualTo("v");
            // the key as Spring MVC decodes it is what the prefix is checked against
            assertThat(send("GET", "/kv/app%3Amine", null, basic("app", "hashed-pw")).status()).isEqualTo(200);
            assertThat(send("DELETE", "/kv/app:mine", null, basic("app", "hashed-pw")).status()).isEqualTo(200);
        }

        @Test
        void aKeyOutsideTheUsersPrefixIs403AndNothingIsWritten() {
            assertProblem(send("PUT", "/kv/other", "v", basic("app", "hashed-pw")), 403);
            assertProblem(send("PUT", "/kv/ap", "v", basic("app", "hashed-pw")), 403);
            assertProblem(send("GET", "/kv/other", null, basic("app", "hashed-pw")), 403);
            assertProblem(send("DELETE", "/kv/other", null, basic("app", "hashed-pw")), 403);

            assertThat(send("GET", "/kv/other", null, basic("admin", ADMIN_PASSWORD)).status()).isEqualTo(404);
        }

        @Test
        void aPrefixUserListsOnlyInsideItsPrefix() {
            assertProblem(send("GET", "/kv", null, basic("app", "hashed-pw")), 403);
            assertProblem(send("GET", "/kv?prefix=other", null, basic("app", "hashed-pw")), 403);
            assertProblem(send("GET", "/kv?prefix=ap", null, basic("app", "hashed-pw")), 403);

            assertThat(send("GET", "/kv?prefix=app:", null, basic("app", "hashed-pw")).status()).isEqualTo(200);
            assertThat(send("GET", "/kv?prefix=app:x", null, basic("app", "hashed-pw")).status()).isEqualTo(200);
        }

        @Test
        void adminMayDoEverything() {
            assertThat(send("PUT", "/kv/anything", "v", basic("admin", ADMIN_PASSWORD)).status()).isEqualTo(200);
            assertThat(send("GET", "/kv/anything", null, basic("admin", ADMIN_PASSWORD)).status()).isEqualTo(200);
            assertThat(send("GET", "/kv", null, basic("admin", ADMIN_PASSWORD)).status()).isEqualTo(200);
            assertThat(send("GET", "/actuator/prometheus", null, basic("admin", ADMIN_PASSWORD)).status()).isEqualTo(200);
            assertThat(send("POST", "/cluster/promote?unsafe=true", null, basic("admin", ADMIN_PASSWORD)).status()).isIn(200, 409);
        }

        @Test
        void promoteByAnyoneButAdminIsRefused() {
            assertProblem(send("POST", "/cluster/promote?unsafe=true", null, null), 401);
            assertProblem(send("POST", "/cluster/promote?unsafe=true", null, basic("app", "hashed-pw")), 403);
            assertProblem(send("POST", "/cluster/promote?unsafe=true", null, basic("monitor", "monitor-pw")), 403);
        }

        @Test
        void healthIsOpenButItsDetailsNeedCredentials() {
            Reply anonymous = send("GET", "/actuator/health", null, null);
            assertThat(anonymous.status()).isEqualTo(200);
            assertThat(anonymous.json().path("status").asString()).isEqualTo("UP");
            assertThat(anonymous.json().has("components")).as(anonymous.body()).isFalse();

            assertThat(send("GET", "/actuator/health", null, basic("monitor", "monitor-pw")).json().has("components")).isTrue();
        }

        @Test
        void metricsAndTheClusterViewNeedAUserButNoRole() {
            assertProblem(send("GET", "/actuator/prometheus", null, null), 401);
            assertProblem(send("GET", "/actuator/metrics", null, null), 401);
            assertProblem(send("GET", "/cluster", null, null), 401);

            assertThat(send("GET", "/actuator/prometheus", null, basic("monitor", "monitor-pw")).status()).isEqualTo(200);
            assertThat(send("GET", "/cluster", null, basic("monitor", "monitor-pw")).status()).isEqualTo(200);
            assertProblem(send("GET", "/kv/app:a", null, basic("monitor", "monitor-pw")), 403);
        }

        @Test
        void theDivergenceReportShowsValuesOfEveryPrefixSoOnlyAdminReadsIt() {
            assertProblem(send("GET", "/cluster/divergence", null, null), 401);
            assertProblem(send("GET", "/cluster/divergence", null, basic("monitor", "monitor-pw")), 403);
            assertProblem(send("GET", "/cluster/divergence", null, basic("app", "hashed-pw")), 403);
            assertThat(send("GET", "/cluster/divergence", null, basic("admin", ADMIN_PASSWORD)).status()).isEqualTo(200);
        }

        @Test
        void peersStillUseTheClusterSecretNotAUser() {
            assertProblem(send("POST", "/replicate", "{}", basic("admin", ADMIN_PASSWORD)), 401);
            assertPastAuthentication(send("POST", "/replicate", "{}", "Bearer " + SECRET));
        }
    }

    /** HTTP calls and the checks every security answer must pass. */
    abstract static class Calls {

        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        @LocalServerPort
        int port;

        Reply send(String method, String path, String body, String authorization) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(20))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (body != null && path.startsWith("/replicate")) {
                request.header("Content-Type", "application/json");
            }
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                return new Reply(response.statusCode(), response.body(), response.headers());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        static String basic(String user, String password) {
            return "Basic " + base64(user + ":" + password);
        }

        static String base64(String text) {
            return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        /** The empty message is refused past the peer chain (membership check or controller): a 4xx, not 401. */
        static void assertPastAuthentication(Reply reply) {
            assertThat(reply.status()).as(reply.body()).isBetween(400, 499).isNotEqualTo(401);
            assertProblem(reply, reply.status());
        }

        static void assertProblem(Reply reply, int status) {
            assertThat(reply.status()).as("status of %s", reply.body()).isEqualTo(status);
            assertThat(reply.header("Content-Type")).as(reply.body()).startsWith("application/problem+json");
            JsonNode json = reply.json();
            assertThat(json.path("type").asString("")).as(reply.body()).startsWith("https://pbkv.dev/problems/");
            assertThat(json.path("title").asString("")).as(reply.body()).isNotBlank();
            assertThat(json.path("status").asInt()).as(reply.body()).isEqualTo(status);
            assertThat(json.path("detail").asString("")).as(reply.body()).isNotBlank();
            assertThat(reply.body()).as("no class names or traces").doesNotContain("Exception", "java.", "org.springframework", "trace");
        }
    }

    record Reply(int status, String body, java.net.http.HttpHeaders headers) {
        JsonNode json() {
            return JSON.readTree(body);
        }

        String header(String name) {
            return headers.firstValue(name).orElse("");
        }
    }
}
