package pbkv.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.jks.JksSslStoreBundle;
import org.springframework.boot.ssl.jks.JksSslStoreDetails;

/**
 * Throwaway TLS material made by the project's own {@code bin/certs} (a CA, one keystore per node, a client
 * identity, a truststore holding the CA), and what a node and a test client need from it. The script keeps
 * what exists, so tests share one directory and pay for keytool once per build directory.
 */
public final class TestCerts {

    public static final String PASSWORD = "pbkv-local-certs";
    /** Every node id the harness can lay out, and the names bin/certs gives to files. */
    private static final List<String> NODES = List.of("primary", "backup", "backup2", "backup3", "witness");
    private static final long SCRIPT_TIMEOUT_SECONDS = 300; // ~30 keytool JVMs on a loaded 2-core box

    private final Path dir;

    private TestCerts(Path dir) {
        this.dir = dir.toAbsolutePath();
    }

    /** {@code target/test-certs}, made if missing. */
    public static TestCerts shared() {
        return in(ClusterBuilder.projectRoot().resolve("target/test-certs"));
    }

    /** Runs {@code bin/certs --dir dir} for every harness node id; keeps what exists there. */
    public static synchronized TestCerts in(Path dir) {
        TestCerts certs = new TestCerts(dir);
        if (NODES.stream().allMatch(id -> Files.isRegularFile(certs.keystore(id))) && Files.isRegularFile(certs.keystore("client"))) {
            return certs;
        }
        Path log = certs.dir.resolveSibling(certs.dir.getFileName() + ".log");
        try {
            Files.createDirectories(certs.dir);
            List<String> command = new java.util.ArrayList<>(List.of(
                    ClusterBuilder.projectRoot().resolve("bin/certs").toString(), "--dir", certs.dir.toString()));
            command.addAll(NODES);
            Process script = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(Redirect.to(log.toFile())).start();
            if (!script.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS) || script.exitValue() != 0) {
                script.destroyForcibly();
                throw new IllegalStateException("bin/certs failed:\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run bin/certs", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running bin/certs", e);
        }
        return certs;
    }

    public Path dir() {
        return dir;
    }

    /** A node's (or {@code client}'s) key and certificate, PKCS12. */
    public Path keystore(String name) {
        return dir.resolve(name + ".p12");
    }

    public Path truststore() {
        return dir.resolve("truststore.p12");
    }

    /**
     * A node's settings for TLS through a bundle named {@code node}: it serves HTTPS with its own certificate,
     * its peer client trusts the CA and, with {@code mutual}, every caller must present a certificate the CA signed.
     */
    public Map<String, String> nodeProperties(String id, boolean mutual) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.ssl.bundle.jks.node.keystore.location", "file:" + keystore(id));
        properties.put("spring.ssl.bundle.jks.node.keystore.password", PASSWORD);
        properties.put("spring.ssl.bundle.jks.node.keystore.type", "PKCS12");
        properties.put("spring.ssl.bundle.jks.node.truststore.location", "file:" + truststore());
        properties.put("spring.ssl.bundle.jks.node.truststore.password", PASSWORD);
        properties.put("spring.ssl.bundle.jks.node.truststore.type", "PKCS12");
        properties.put("server.ssl.bundle", "node");
        properties.put("cluster.ssl.bundle", "node");
        if (mutual) {
            properties.put("server.ssl.client-auth", "need");
        }
        return properties;
    }

    /** Trusts the CA and presents the {@code client} certificate when asked. */
    public SSLContext clientContext() {
        return contextOf("client");
    }

    /** Trusts the CA and presents the certificate of {@code name} (a node id, or {@code client}). */
    public SSLContext contextOf(String name) {
        return bundle(keystore(name)).createSslContext();
    }

    /** Trusts the CA, has no certificate of its own. */
    public SSLContext trustOnlyContext() {
        return bundle(null).createSslContext();
    }

    private SslBundle bundle(Path keystore) {
        JksSslStoreDetails key = keystore == null ? null : new JksSslStoreDetails("PKCS12", null, "file:" + keystore, PASSWORD);
        return SslBundle.of(new JksSslStoreBundle(key, new JksSslStoreDetails("PKCS12", null, "file:" + truststore(), PASSWORD)));
    }
}
