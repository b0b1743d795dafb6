package pbkv.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docker/compose.yaml is valid for docker-compose (the Debian package; no Docker engine needed to
 * validate), runs the three nodes with Prometheus and Grafana, and takes every secret from the
 * environment: without them it is refused.
 */
class ComposeFileTest {

    private static final Path DOCKER_DIR = ExternalTool.projectRoot().resolve("docker");
    private static final Map<String, String> SECRETS = Map.of("PBKV_CLUSTER_SECRET", "compose-test-secret",
            "SECURITY_ADMIN_PASSWORD", "compose-test-admin", "GRAFANA_ADMIN_PASSWORD", "compose-test-grafana");

    @Test
    void theComposeFileIsValidAndRunsTheClusterWithPrometheusAndGrafana() {
        ExternalTool.Result config = compose().run(DOCKER_DIR, SECRETS, "-f", "compose.yaml", "config");
        assertThat(config.exitCode()).as("%s", config).isZero();
        assertThat(config.output())
                .contains("primary:", "backup:", "witness:", "prometheus:", "grafana:")
                .contains("CLUSTER_SECRET: compose-test-secret", "SERVER_ADDRESS: 0.0.0.0")
                .contains("/etc/prometheus/alerts.yml", "/var/lib/grafana/dashboards", "/etc/grafana/provisioning");
    }

    @Test
    void theComposeFileRefusesToRunWithoutTheClusterSecret() {
        Map<String, String> withoutSecret = Map.of("SECURITY_ADMIN_PASSWORD", "a", "GRAFANA_ADMIN_PASSWORD", "b");
        ExternalTool.Result config = compose().run(DOCKER_DIR, withoutSecret, "-f", "compose.yaml", "config");
        assertThat(config.exitCode()).as("%s", config).isNotZero();
        assertThat(config.output()).contains("set PBKV_CLUSTER_SECRET");
    }

    private static ExternalTool compose() {
        return ExternalTool.require("docker-compose", "docker-compose");
    }
}
