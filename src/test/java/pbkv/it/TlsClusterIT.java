package pbkv.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import pbkv.harness.ClusterHarness;
import pbkv.harness.KvClient;
import pbkv.harness.KvResponse;
import pbkv.harness.NodeHealth;
import pbkv.harness.NodeProcess;
import pbkv.harness.NodeRole;
import pbkv.harness.TestCerts;

/**
 * A cluster over HTTPS with mutual TLS between peers (and from clients: one port serves both), certificates
 * made by bin/certs: it replicates and fails over as over HTTP, and refuses whoever cannot prove an identity
 * the CA signed. The refusals are asked of the witness, which the failover leaves running, so the cases do not
 * depend on their order. Node logs: target/it-logs/TlsClusterIT/.
 */
@Timeout(300)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsClusterIT {

    private static final Duration SETTLE = Duration.ofSeconds(90); // TLS adds handshakes to a JVM start on a loaded box
    private static final Duration FAILOVER = Duration.ofSeconds(30);
    private static final String SECRET = "pbkv-it-secret";

    private TestCerts certs;
    private ClusterHarness cluster;

    @BeforeAll
    void startCluster() {
        certs = TestCerts.shared();
        cluster = ClusterHarness.builder("TlsClusterIT").secret(SECRET).tls(certs, true).start();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void acknowledgedWritesOverHttpsSurviveKillingThePrimaryAndTheNewPrimaryTakesWrites() {
        assertThat(cluster.awaitSettled(SETTLE)).isEqualTo("primary");
        KvClient kv = cluster.client().withTimeout(Duration.ofSeconds(10));
        String primary = cluster.node("primary").baseUrl();
        String backup = cluster.node("backup").baseUrl();
        assertThat(primary).startsWith("https://");

        List<String> acknowledged = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            KvResponse put = kv.put(primary, "k" + i, "v" + i);
            assertThat(put.status()).as("%s", put).isEqualTo(200);
            acknowledged.add("k" + i);
        }
        // the backup's copy came over the peers' mutual-TLS link, through its proxy
        await("replicated to the backup").atMost(SETTLE)
                .until(() -> "v19".equals(kv.getLocal(backup, "k19").value()));

        long epochBefore = cluster.health("primary").orElseThrow().epoch();
        cluster.kill("primary");
        NodeHealth promoted = cluster.awaitHealth("backup",
                health -> health.is(NodeRole.PRIMARY) && health.epoch() > epochBefore, FAILOVER);
        assertThat(promoted.epoch()).isGreaterThan(epochBefore);

        await("the new primary takes writes").atMost(FAILOVER).untilAsserted(() -> {
            KvResponse put = kv.put(backup, "after-failover", "yes");
            assertThat(put.status()).as("%s", put).isEqualTo(200);
        });
        for (String key : acknowledged) {
            KvResponse read = kv.get(backup, key);
            assertThat(read.status()).as("%s", read).isEqualTo(200);
            assertThat(read.value()).isEqualTo("v" + key.substring(1));
        }
        assertThat(kv.get(backup, "after-failover").value()).isEqualTo("yes");
    }

    @Test
    void aClientWithTheCaAndACertificateIsServed() {
        KvResponse health = health(new KvClient(certs.clientContext()));
        assertThat(health.status()).as("%s", health).isEqualTo(200);
    }

    @Test
    void aClientThatDoesNotTrustTheCaFailsTheHandshake() throws Exception {
        KvResponse health = health(new KvClient(SSLContext.getDefault())); // the JDK's public CAs only
        assertThat(health.isTransportFailure()).as("%s", health).isTrue();
        assertThat(health.failure()).as("%s", health).isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("PKIX path building failed");
    }

    @Test
    void aClientWithoutACertificateIsRefusedWhenMutualTlsIsRequired() {
        KvResponse health = health(new KvClient(certs.trustOnlyContext()));
        assertThat(health.isTransportFailure()).as("%s", health).isTrue();
        assertThat(health.failure()).as("%s", health).isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("bad_certificate");
    }

    @Test
    void aPeerCallWithTheSecretButWithoutACertificateIsRefused() {
        URI vote = URI.create(cluster.node("witness").baseUrl() + "/replicate/vote");
        KvResponse call = new KvClient(certs.trustOnlyContext()).send("POST", vote, "{}",
                Map.of("Authorization", "Bearer " + SECRET, "Content-Type", "application/json"));
        assertThat(call.isTransportFailure()).as("%s", call).isTrue();
        assertThat(call.failure()).as("%s", call).isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("bad_certificate");
    }

    @Test
    void plainHttpToAnHttpsPortIsNotServed() {
        NodeProcess witness = cluster.node("witness");
        KvResponse health = new KvClient().send("GET", URI.create("http://127.0.0.1:" + witness.port() + "/actuator/health"),
                null, Map.of());
        // Tomcat answers a plain request on a TLS port with a bare 400 saying TLS is required, never the resource
        assertThat(health.status()).as("%s", health).isEqualTo(400);
        assertThat(health.body()).contains("requires TLS").doesNotContain("replication");
    }

    @Test
    void aNodeWithHttpsMemberUrlsButNoPeerBundleRefusesToStartAndSaysWhatToSet(TestInfo test) throws Exception {
        try (ClusterHarness lone = ClusterHarness.builder(test).backups(0).witness(false).tls(certs, true)
                .property("cluster.ssl.bundle", "").build()) {
            NodeProcess node = lone.node("primary");
            node.start();
            await("the node exits").atMost(SETTLE).until(() -> !node.isAlive());
            assertThat(node.exitCode().orElseThrow()).isNotZero();
            assertThat(Files.readString(node.logFile()))
                    .contains("pbkv refuses to start: cluster.ssl.bundle: member urls use https (primary https://127.0.0.1:")
                    .contains("Set cluster.ssl.bundle to the name of an SSL bundle");
        }
    }

    private KvResponse health(KvClient client) {
        return client.send("GET", URI.create(cluster.node("witness").baseUrl() + "/actuator/health"), null, Map.of());
    }
}
