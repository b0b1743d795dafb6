package pbkv.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.Ssl;
import org.springframework.web.client.RestClient;
import pbkv.harness.TestCerts;
import pbkv.peer.ClusterFingerprint;
import pbkv.peer.MembershipAgreement;
import pbkv.peer.PeerClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * From settings to the peer client's TLS: a bundle configured as Boot binds it ({@code spring.ssl.bundle.jks.*})
 * gives a peer client that verifies the peer against the CA and its host name and presents the node's key, and
 * settings that cannot work together stop the node with a message saying what to set. The peer here is a JDK
 * HTTPS server requiring a client certificate, so every handshake is real.
 */
@Timeout(120)
class PeerTlsTest {

    private static final String SECRET = "peer-secret";
    private static TestCerts certs;
    private final List<String> seenByPeer = new CopyOnWriteArrayList<>();
    private HttpsServer peer;

    @BeforeAll
    static void makeCerts() {
        certs = TestCerts.shared();
    }

    @AfterEach
    void stopPeer() {
        if (peer != null) {
            peer.stop(0);
        }
    }

    @Test
    void thePeerClientTrustsTheBundlesCaAndPresentsTheNodesCertificate() throws IOException {
        int port = startPeerRequiringClientCertificates();
        withBundles("primary", bundles -> {
            PeerTls tls = PeerTls.resolve(httpsMembers(port), "node", mutualServer(), bundles);
            Map<?, ?> reply = peerClient(tls).post("https://127.0.0.1:" + port + "/replicate", Map.of("n", 1), Map.class);
            assertThat(reply.get("ok")).isEqualTo(true);
        });
        assertThat(seenByPeer).containsExactly("CN=primary Bearer " + SECRET);
    }

    @Test
    void aPeerWhoseCertificateDoesNotNameTheUrlsHostIsNotTalkedTo() throws IOException {
        int port = startPeerRequiringClientCertificates();
        withBundles("primary", bundles -> {
            PeerTls tls = PeerTls.resolve(httpsMembers(port), "node", mutualServer(), bundles);
            // 127.0.0.2 reaches the same socket, but the peer's certificate names only 127.0.0.1, localhost, backup
            assertThat(peerClient(tls).post("https://127.0.0.2:" + port + "/replicate", Map.of("n", 1), Map.class)).isNull();
        });
        assertThat(seenByPeer).isEmpty();
    }

    @Test
    void httpsMemberUrlsWithoutAPeerBundleRefuseToStart() {
        withBundles("primary", bundles -> assertThatThrownBy(() -> PeerTls.resolve(httpsMembers(8000), null, mutualServer(), bundles))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("cluster.ssl.bundle: member urls use https")
                .hasMessageContaining("no bundle is set")
                .hasMessageContaining("backup https://127.0.0.1:8000"));
    }

    @Test
    void aPeerBundleWithPlainHttpMembersRefusesToStart() {
        List<ClusterProperties.Member> mixed = List.of(new ClusterProperties.Member("primary", "https://127.0.0.1:8000", false, null),
                new ClusterProperties.Member("backup", "http://127.0.0.1:9001", false, null));
        withBundles("primary", bundles -> assertThatThrownBy(() -> PeerTls.resolve(mixed, "node", mutualServer(), bundles))
                .hasMessageContaining("cluster.ssl.bundle: a bundle is set but some member urls are plain http (backup http://127.0.0.1:9001)"));
    }

    @Test
    void aPlainHttpViaIsRefusedLikeAPlainUrl() {
        List<ClusterProperties.Member> viaPlain = List.of(new ClusterProperties.Member("primary", "https://127.0.0.1:8000", false, null),
                new ClusterProperties.Member("backup", "https://127.0.0.1:9001", false, "http://127.0.0.1:19001"));
        withBundles("primary", bundles -> assertThatThrownBy(() -> PeerTls.resolve(viaPlain, "node", mutualServer(), bundles))
                .hasMessageContaining("plain http (backup http://127.0.0.1:19001)"));
    }

    @Test
    void anHttpsServerWithPlainHttpMembersRefusesToStart() {
        List<ClusterProperties.Member> plain = List.of(new ClusterProperties.Member("primary", "http://127.0.0.1:8000", false, null));
        withBundles("primary", bundles -> assertThatThrownBy(() -> PeerTls.resolve(plain, null, mutualServer(), bundles))
                .hasMessageContaining("server.ssl: this node serves HTTPS but the member urls are plain http"));
    }

    @Test
    void httpsMembersWhileThisNodeServesPlainHttpRefuseToStart() {
        withBundles("primary", bundles -> assertThatThrownBy(() -> PeerTls.resolve(httpsMembers(8000), "node", null, bundles))
                .hasMessageContaining("server.ssl.bundle: the member urls are https but this node serves plain HTTP"));
    }

    @Test
    void aBundleThatIsNotConfiguredIsNamedWithTheConfiguredOnes() {
        withBundles("primary", bundles -> assertThatThrownBy(() -> PeerTls.resolve(httpsMembers(8000), "nodes", mutualServer(), bundles))
                .hasMessageContaining("cluster.ssl.bundle: SSL bundle 'nodes' is not configured (configured: [node])"));
    }

    @Test
    void aBundleWhoseKeystoreCannotBeLoadedIsReportedWithItsCause() {
        withBundleProperties(bundles -> assertThatThrownBy(() -> PeerTls.resolve(httpsMembers(8000), "node", mutualServer(), bundles))
                        .hasMessageContaining("cluster.ssl.bundle: SSL bundle 'node' cannot be loaded")
                        .hasMessageContaining("nosuch.p12"),
                "spring.ssl.bundle.jks.node.keystore.location=file:" + certs.dir().resolve("nosuch.p12"),
                "spring.ssl.bundle.jks.node.keystore.password=" + TestCerts.PASSWORD);
    }

    @Test
    void mutualTlsWithABundleThatHoldsNoKeyRefusesToStart() {
        withBundleProperties(bundles -> assertThatThrownBy(() -> PeerTls.resolve(httpsMembers(8000), "node", mutualServer(), bundles))
                        .hasMessageContaining("client-auth is need (mutual TLS), but SSL bundle 'node'")
                        .hasMessageContaining("has no keystore"),
                "spring.ssl.bundle.jks.node.truststore.location=file:" + certs.truststore(),
                "spring.ssl.bundle.jks.node.truststore.password=" + TestCerts.PASSWORD);
    }

    @Test
    void plainHttpEverywhereNeedsNoBundle() {
        List<ClusterProperties.Member> plain = List.of(new ClusterProperties.Member("primary", "http://127.0.0.1:8000", false, null));
        withBundles("primary", bundles -> assertThat(PeerTls.resolve(plain, null, null, bundles)).isEqualTo(PeerTls.PLAIN));
    }

    @Test
    void aRefusalAtStartUpIsReportedAsWhatIsWrongAndWhatToSet() {
        withBundles("primary", bundles -> {
            InvalidSettingsException refusal = catchThrowableOfType(InvalidSettingsException.class,
                    () -> PeerTls.resolve(httpsMembers(8000), null, mutualServer(), bundles));
            FailureAnalysis analysis = SpringFactoriesAnalyzers.analyze(SettingsFailureAnalyzer.class,
                    new BeanCreationException("peerTls", "Failed to instantiate", refusal));
            assertThat(analysis.getDescription()).startsWith("pbkv refuses to start: cluster.ssl.bundle: member urls use https");
            assertThat(analysis.getAction()).startsWith("Set cluster.ssl.bundle to the name of an SSL bundle").contains("docs/tls.md");
        });
    }

    /** The bundle {@code node} as a node configures it (keystore of {@code id}, the CA as truststore), bound by Boot. */
    private static void withBundles(String id, Consumer<SslBundles> test) {
        withBundleProperties(test, certs.nodeProperties(id, true).entrySet().stream()
                .filter(e -> e.getKey().startsWith("spring.ssl."))
                .map(e -> e.getKey() + "=" + e.getValue())
                .toArray(String[]::new));
    }

    /** The SSL bundles Boot binds from {@code properties}. */
    private static void withBundleProperties(Consumer<SslBundles> test, String... properties) {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
                .withPropertyValues(properties)
                .run(context -> test.accept(context.getBean(SslBundles.class)));
    }

    private static List<ClusterProperties.Member> httpsMembers(int backupPort) {
        return List.of(new ClusterProperties.Member("primary", "https://127.0.0.1:8000", false, null),
                new ClusterProperties.Member("backup", "https://127.0.0.1:" + backupPort, false, null));
    }

    private static Ssl mutualServer() {
        Ssl ssl = Ssl.forBundle("node");
        ssl.setClientAuth(Ssl.ClientAuth.NEED);
        return ssl;
    }

    private static PeerClient peerClient(PeerTls tls) {
        MembershipAgreement membership = new MembershipAgreement(ClusterFingerprint.of("tls", List.of(
                new ClusterFingerprint.Member("primary", "https://127.0.0.1:8000", false))), Map.of(), 1);
        return new PeerClient(RestClient.builder(), JsonMapper.builder().build(), SECRET, Duration.ofSeconds(5), 0,
                "primary", membership, tls.bundle());
    }

    /** The peer "backup": its own certificate, and a handshake that fails unless the caller presents one the CA signed. */
    private int startPeerRequiringClientCertificates() throws IOException {
        peer = HttpsServer.create(new InetSocketAddress(0), 0); // every address, 127.0.0.2 included
        peer.setHttpsConfigurator(new HttpsConfigurator(certs.contextOf("backup")) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
                parameters.setNeedClientAuth(true);
                params.setSSLParameters(parameters);
            }
        });
        peer.createContext("/replicate", exchange -> {
            HttpsExchange https = (HttpsExchange) exchange;
            seenByPeer.add(https.getSSLSession().getPeerPrincipal().getName() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        peer.start();
        return peer.getAddress().getPort();
    }
}
