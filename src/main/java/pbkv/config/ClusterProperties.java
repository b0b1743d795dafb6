package pbkv.config;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The static membership, identical on every node: ids, URLs, which members are witnesses, the
 * initial primary of a new cluster, and the shared secret peers present to each other.
 */
@ConfigurationProperties("cluster")
public record ClusterProperties(List<Member> members, String secret, @DefaultValue("primary") String initialPrimary) {

    public record Member(String id, String url, @DefaultValue("false") boolean witness) {
    }

    public ClusterProperties {
        if (members == null || members.isEmpty()) {
            throw new IllegalArgumentException("cluster.members must list every member (id, url, witness)");
        }
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("cluster.secret must be set: peers authenticate /replicate calls with it");
        }
        members = List.copyOf(members);
    }

    public String urlOf(String id) {
        return members.stream().filter(m -> m.id().equals(id)).map(Member::url).findFirst().orElse(null);
    }
}
