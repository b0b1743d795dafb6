package pbkv.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The secrets in config/application.yml are public: they are in the repository. They are fine on
 * a laptop, where the nodes listen on 127.0.0.1 only; a node that listens on any other address
 * must have secrets of its own, or anyone who can reach it could replicate into it or promote it.
 * Refusing to start is the only check that cannot be forgotten.
 */
@Component
final class ShippedSecretsGuard {

    static final String SHIPPED_CLUSTER_SECRET = "pbkv-local-secret-change-me";
    static final String SHIPPED_ADMIN_PASSWORD = "pbkv-local-admin-change-me";

    private static final Map<String, String> SHIPPED = Map.of(
            "cluster.secret", SHIPPED_CLUSTER_SECRET,
            "security.admin-password", SHIPPED_ADMIN_PASSWORD);
    private static final Map<String, String> ENVIRONMENT_NAMES = Map.of(
            "cluster.secret", "CLUSTER_SECRET",
            "security.admin-password", "SECURITY_ADMIN_PASSWORD");

    ShippedSecretsGuard(Environment environment) {
        String address = environment.getProperty("server.address");
        if (isLoopback(address)) {
            return;
        }
        SHIPPED.forEach((property, shipped) -> {
            if (shipped.equals(environment.getProperty(property))) {
                throw new InvalidSettingsException(property, "this node listens on " + (address == null ? "every interface" : address)
                        + " but " + property + " is still the example value shipped in config/application.yml, which anyone can read",
                        "Set a secret of your own, the same on every member, e.g. " + ENVIRONMENT_NAMES.get(property)
                                + "=$(openssl rand -hex 32) in the environment or --" + property + "=... on the command line."
                                + " Or bind the node to loopback only with server.address=127.0.0.1.");
            }
        });
    }

    /** Unset means every interface; a name is resolved, as the server will resolve it to bind. */
    static boolean isLoopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        try {
            return InetAddress.getByName(address.strip()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
