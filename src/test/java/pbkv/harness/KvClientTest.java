package pbkv.harness;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class KvClientTest {

    // Started once per class; the extension resets stubs and recorded requests before each test.
    @RegisterExtension
    static final WireMockExtension backup = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();
    @RegisterExtension
    static final WireMockExtension primary = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();
    private final KvClient client = new KvClient().withTimeout(Duration.ofSeconds(2));

    @Test
    void putReadsValueAndVersionFromTheJsonBody() {
        primary.stubFor(put("/kv/k").willReturn(json(200, "{\"key\":\"k\",\"value\":\"v\",\"version\":42}")));

        KvResponse response = client.put(primary.baseUrl(), "k", "v");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.isOk()).isTrue();
        assertThat(response.value()).isEqualTo("v");
        assertThat(response.version()).isEqualTo(42);
        assertThat(response.field("key")).isEqualTo("k");
        primary.verify(putRequestedFor(urlEqualTo("/kv/k")).withRequestBody(equalTo("v")));
    }

    @Test
    void casAndConditionalDeleteSendIfMatch() {
        primary.stubFor(put("/kv/k").willReturn(json(412, "{\"type\":\"about:blank\",\"status\":412}")
                .withHeader("Content-Type", "application/problem+json")));
        primary.stubFor(delete("/kv/k").willReturn(aResponse().withStatus(204)));

        KvResponse cas = client.cas(primary.baseUrl(), "k", 3, "new");
        assertThat(cas.status()).isEqualTo(412);
        assertThat(cas.isProblem()).isTrue();
        assertThat(cas.versionIfPresent()).isEmpty();
        assertThatThrownBy(cas::version).hasMessageContaining("412");

        assertThat(client.deleteIfMatch(primary.baseUrl(), "k", 4).status()).isEqualTo(204);
        primary.verify(putRequestedFor(urlEqualTo("/kv/k")).withHeader("If-Match", equalTo("3")));
        primary.verify(deleteRequestedFor(urlEqualTo("/kv/k")).withHeader("If-Match", equalTo("4")));
    }

    @Test
    void localReadAsksForLocalConsistencyAndKeysAreEncoded() {
        backup.stubFor(get("/kv/a%20b?consistency=local").willReturn(json(200, "{\"value\":\"x\",\"version\":1}")));

        assertThat(client.getLocal(backup.baseUrl(), "a b").value()).isEqualTo("x");
        assertThat(client.get(backup.baseUrl(), "missing").status()).isEqualTo(404);
    }

    @Test
    void redirectsAreReturnedUnlessFollowingIsAskedFor() {
        backup.stubFor(put("/kv/k").willReturn(redirectTo(primary.baseUrl() + "/kv/k")));
        primary.stubFor(put("/kv/k").willReturn(json(200, "{\"value\":\"v\",\"version\":7}")));

        KvResponse notFollowed = client.put(backup.baseUrl(), "k", "v");
        assertThat(notFollowed.status()).isEqualTo(307);
        assertThat(notFollowed.primaryHint()).contains("primary");

        KvResponse followed = client.followingRedirects().cas(backup.baseUrl(), "k", 6, "v");
        assertThat(followed.status()).isEqualTo(200);
        assertThat(followed.uri()).isEqualTo(URI.create(primary.baseUrl() + "/kv/k"));
        // method, body and If-Match survive the hop (307 semantics)
        primary.verify(putRequestedFor(urlEqualTo("/kv/k")).withRequestBody(equalTo("v"))
                .withHeader("If-Match", equalTo("6")));
    }

    @Test
    void redirectRewriterMapsTheTargetAndLoopsStopAfterThreeHops() {
        backup.stubFor(get("/kv/k").willReturn(redirectTo("http://127.0.0.1:1/kv/k")));
        primary.stubFor(get("/kv/k").willReturn(redirectTo("/kv/k"))); // relative, to itself, forever

        KvResponse response = client.followingRedirects()
                .withRedirectRewriter(uri -> uri.getPort() == 1 ? URI.create(primary.baseUrl() + uri.getPath()) : uri)
                .get(backup.baseUrl(), "k");

        assertThat(response.status()).isEqualTo(307);
        assertThat(response.uri().getPort()).isEqualTo(primary.getPort());
        assertThat(primary.getAllServeEvents()).hasSize(KvClient.MAX_REDIRECTS);
    }

    @Test
    void timeoutsAndRefusalsAreResponsesWithStatusZero() {
        primary.stubFor(get("/kv/slow").willReturn(json(200, "{}").withFixedDelay(3_000)));

        KvResponse slow = client.withTimeout(Duration.ofMillis(300)).get(primary.baseUrl(), "slow");
        assertThat(slow.status()).isZero();
        assertThat(slow.isTransportFailure()).isTrue();
        assertThat(slow.timedOut()).isTrue();

        int closedPort = new PortPicker().reserveAndRelease();
        KvResponse refused = client.get("http://127.0.0.1:" + closedPort, "k");
        assertThat(refused.isTransportFailure()).isTrue();
        assertThat(refused.timedOut()).isFalse();
        assertThat(refused.toString()).contains("failed");
    }

    @Test
    void jsonObjectIsTheBodyOfA200JsonAnswerAndNullOtherwise() {
        primary.stubFor(get("/cluster").willReturn(json(200, "{\"role\":\"PRIMARY\",\"epoch\":3,\"inSync\":[\"primary\"]}")));
        primary.stubFor(get("/down").willReturn(json(503, "{\"status\":\"DOWN\"}")));
        primary.stubFor(get("/page").willReturn(aResponse().withStatus(200).withBody("<html>")));

        assertThat(client.jsonObject(primary.baseUrl() + "/cluster"))
                .containsEntry("role", "PRIMARY").containsEntry("epoch", 3).containsEntry("inSync", java.util.List.of("primary"));
        assertThat(client.jsonObject(primary.baseUrl() + "/down")).isNull();
        assertThat(client.jsonObject(primary.baseUrl() + "/page")).isNull();
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder redirectTo(String location) {
        return aResponse().withStatus(307).withHeader("Location", location).withHeader("X-Pbkv-Primary", "primary");
    }
}
