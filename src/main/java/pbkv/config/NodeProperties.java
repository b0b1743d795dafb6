package pbkv.config;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** This node: its member id and where it keeps its persisted vote. */
@ConfigurationProperties("node")
public record NodeProperties(String id, @DefaultValue("run/data") Path dataDir) {
    public NodeProperties {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("node.id must name one of cluster.members");
        }
    }
}
