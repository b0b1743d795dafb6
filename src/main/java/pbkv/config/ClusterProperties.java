package pbkv.config;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The static membership, identical on every node: ids, URLs, which members are witnesses, the
 * initial primary of a new cluster, the shared secret peers present to each other, and the
 * cluster's name, stamped into each data dir so that a node never reads another cluster's data.
 */
@ConfigurationProperties("cluster")
public record ClusterProperties(List<Member> members, String secret, @DefaultValue("primary") String initialPrimary,
                                @DefaultValue("pbkv") String name) {

    public record Member(String id, String url, @DefaultValue("false") boolean witness) {
    }

    public ClusterProperties {
        if (members == null || members.isEmpty()) {
            throw new IllegalArgumentException("cluster.members must list every member (id, url, witness)");
        }
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("cluster.secret must be set: peers authenticate /replicate calls with it");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("cluster.name must not be blank: each data dir is stamped with it");
        }
        members = List.copyOf(members);
    }

    public String urlOf(String id) {
        return members.stream().filter(m -> m.id().equals(id)).map(Member::url).findFirst().orElse(null);
    }
}
