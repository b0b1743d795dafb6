package pbkv.config;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.Ssl;
import org.springframework.core.NestedExceptionUtils;

/**
 * The peer client's TLS: the bundle named by {@code cluster.ssl.bundle}, or none for plain HTTP.
 * <p>
 * TLS is all or nothing across a cluster, because peer and client traffic share one port: every member url
 * (and {@code via}) is https and the node serves HTTPS ({@code server.ssl.*}), or none is and it does not. A
 * mixture would send some peer traffic in clear or speak HTTP to an HTTPS port, and would show only as failed
 * handshakes in the middle of a failover; so {@link #resolve} refuses it at start-up, saying what to set. With
 * {@code server.ssl.client-auth=need} (mutual TLS) every member requires a certificate of its callers, this
 * node's peer client included: its bundle must then hold a key.
 */
record PeerTls(SslBundle bundle) {

    static final PeerTls PLAIN = new PeerTls(null);
    private static final String PEER_BUNDLE = "cluster.ssl.bundle";

    /** The peer client's TLS for these settings; throws {@link InvalidSettingsException} if they disagree. */
    static PeerTls resolve(List<ClusterProperties.Member> members, String bundleName, Ssl serverSsl, SslBundles bundles) {
        String https = urlsOf(members, true);
        String plain = urlsOf(members, false);
        boolean serverTls = Ssl.isEnabled(serverSsl);
        if (bundleName == null || bundleName.isBlank()) {
            if (!https.isEmpty()) {
                throw new InvalidSettingsException(PEER_BUNDLE, "member urls use https (" + https + ") but no bundle is"
                        + " set, so this node cannot verify its peers", "Set cluster.ssl.bundle to the name of an SSL bundle"
                        + " (spring.ssl.bundle.jks.<name> or spring.ssl.bundle.pem.<name>) whose truststore holds the CA"
                        + " that signed the members' certificates. See docs/tls.md.");
            }
            if (serverTls) {
                throw new InvalidSettingsException("server.ssl", "this node serves HTTPS but the member urls are plain http ("
                        + plain + "): peers would speak HTTP to an HTTPS port", "Make every member url https:// and set"
                        + " cluster.ssl.bundle, or turn server.ssl off on every node. See docs/tls.md.");
            }
            return PLAIN;
        }
        if (!plain.isEmpty()) {
            throw new InvalidSettingsException(PEER_BUNDLE, "a bundle is set but some member urls are plain http (" + plain
                    + "): peer traffic to them would go in clear", "Make every member url https://, on every node.");
        }
        if (!serverTls) {
            throw new InvalidSettingsException("server.ssl.bundle", "the member urls are https but this node serves plain"
                    + " HTTP: its peers would fail to connect to it", "Set server.ssl.bundle (usually the bundle named by"
                    + " cluster.ssl.bundle). See docs/tls.md.");
        }
        SslBundle bundle = load(bundleName, bundles);
        if (serverSsl.getClientAuth() == Ssl.ClientAuth.NEED && bundle.getStores().getKeyStore() == null) {
            throw new InvalidSettingsException(PEER_BUNDLE, "server.ssl.client-auth is need (mutual TLS), but SSL bundle '"
                    + bundleName + "' has no keystore: this node could not present the certificate its peers require",
                    "Give the bundle a keystore with this node's key and certificate.");
        }
        return new PeerTls(bundle);
    }

    private static SslBundle load(String name, SslBundles bundles) {
        SslBundle bundle;
        try {
            bundle = bundles.getBundle(name);
        } catch (NoSuchSslBundleException e) {
            throw new InvalidSettingsException(PEER_BUNDLE, "SSL bundle '" + name + "' is not configured (configured: "
                    + bundles.getBundleNames() + ")", "Define spring.ssl.bundle.jks." + name + ".* or spring.ssl.bundle.pem."
                    + name + ".*, or name one of the configured bundles.");
        }
        try {
            bundle.createSslContext(); // loads the stores now, not at the first peer call
            return bundle;
        } catch (RuntimeException e) {
            throw new InvalidSettingsException(PEER_BUNDLE, "SSL bundle '" + name + "' cannot be loaded: " + rootMessage(e),
                    "Check the bundle's keystore and truststore: locations, types and passwords.");
        }
    }

    /** Each member's url and via (where the peer client connects) that is, or is not, https. */
    private static String urlsOf(List<ClusterProperties.Member> members, boolean https) {
        return members.stream()
                .flatMap(m -> Stream.of(m.url(), m.via()).filter(url -> url != null).map(url -> m.id() + " " + url))
                .filter(entry -> entry.substring(entry.indexOf(' ') + 1).startsWith("https://") == https)
                .collect(Collectors.joining(", "));
    }

    private static String rootMessage(RuntimeException e) {
        Throwable root = NestedExceptionUtils.getMostSpecificCause(e);
        return root == e ? e.getMessage() : e.getMessage() + ": " + root.getMessage();
    }
}
