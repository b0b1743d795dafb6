package pbkv.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterHealthTest {

    @Test
    void parsesTheReplicationDetailsOfActuatorHealth() {
        NodeHealth health = NodeHealth.parse("{\"status\":\"UP\",\"components\":{\"db\":{\"status\":\"UP\"},"
                + "\"replication\":{\"status\":\"UP\","
                + "\"details\":{\"role\":\"BACKUP\",\"epoch\":4,\"primary\":\"backup2\"}}}}");
        assertThat(health).isEqualTo(new NodeHealth("UP", NodeRole.BACKUP, 4, "backup2"));

        NodeHealth bare = NodeHealth.parse("{\"status\":\"UP\"}"); // details not exposed
        assertThat(bare.role()).isEqualTo(NodeRole.UNKNOWN);
        assertThat(bare.epoch()).isEqualTo(-1);
        assertThat(bare.primaryId()).isEmpty();
        assertThat(NodeHealth.parse("<html>").status()).isNull();
    }

    @Test
    void primaryIsTheHighestEpochPrimaryAmongThoseThatAnswered() {
        ClusterHealth health = health(
                "primary", node(NodeRole.PRIMARY, 2),
                "backup", node(NodeRole.PRIMARY, 3),
                "witness", null);
        assertThat(health.primary()).contains("backup");
        assertThat(health.allAnswered()).isFalse();
        assertThat(health("backup", node(NodeRole.BACKUP, 1)).primary()).isEmpty();
    }

    @Test
    void settledNeedsOnePrimaryAndEveryBackupInItsEpoch() {
        assertThat(health("primary", node(NodeRole.PRIMARY, 2), "backup", node(NodeRole.BACKUP, 2),
                "witness", node(NodeRole.WITNESS, 1)).settledPrimary()).contains("primary");
        assertThat(health("primary", node(NodeRole.PRIMARY, 2), "backup", node(NodeRole.BACKUP, 1))
                .settledPrimary()).as("backup behind").isEmpty();
        assertThat(health("primary", node(NodeRole.PRIMARY, 2), "backup", node(NodeRole.STALE, 2))
                .settledPrimary()).as("backup catching up").isEmpty();
        assertThat(health("primary", node(NodeRole.PRIMARY, 2), "backup", node(NodeRole.PRIMARY, 3))
                .settledPrimary()).as("two primaries").isEmpty();
        assertThat(health("primary", node(NodeRole.PRIMARY, 2), "backup", null)
                .settledPrimary()).as("backup silent").isEmpty();
    }

    private static NodeHealth node(NodeRole role, long epoch) {
        return new NodeHealth("UP", role, epoch, null);
    }

    private static ClusterHealth health(Object... idsAndHealth) {
        Map<String, Optional<NodeHealth>> nodes = new LinkedHashMap<>();
        for (int i = 0; i < idsAndHealth.length; i += 2) {
            nodes.put((String) idsAndHealth[i], Optional.ofNullable((NodeHealth) idsAndHealth[i + 1]));
        }
        return new ClusterHealth(nodes);
    }
}
