package pbkv.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

    /**
     * @param url the member's address, as clients and every member know it: part of the cluster's
     *            fingerprint, so the same text on every node
     * @param via optional: where this node actually connects to reach the member (a proxy, a
     *            tunnel, a test's fault-injecting link), when that differs from {@code url}
     */
    public record Member(String id, String url, @DefaultValue("false") boolean witness, String via) {

        /** Where this node sends the member's peer messages. */
        public String peerUrl() {
            return via != null ? via : url;
        }
    }

    public ClusterProperties {
        if (members == null || members.isEmpty()) {
            throw new InvalidSettingsException("cluster.members", "no members are listed",
                    "List every member (id, url, and witness: true for a witness), the same list on every node.");
        }
        Set<String> ids = new HashSet<>();
        List<Member> normalized = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            String property = "cluster.members[" + i + "]";
            if (m.id() == null || m.id().isBlank()) {
                throw new InvalidSettingsException(property + ".id", "the member has no id", "Give every member a unique id.");
            }
            if (!ids.add(m.id())) {
                throw new InvalidSettingsException(property + ".id", "the id " + m.id() + " is listed twice",
                        "Give every member a unique id: votes and in-sync sets are counted by id.");
            }
            String urlProblem = urlProblem(m.url());
            if (urlProblem != null) {
                throw new InvalidSettingsException(property + ".url", "member " + m.id() + ": " + urlProblem,
                        "Set the URL its peers reach it at, as scheme://host:port, e.g. http://127.0.0.1:9001.");
            }
            String viaProblem = m.via() == null ? null : urlProblem(m.via());
            if (viaProblem != null) {
                throw new InvalidSettingsException(property + ".via", "member " + m.id() + ": " + viaProblem,
                        "Remove it, or set where this node connects to reach the member, as scheme://host:port.");
            }
            normalized.add(new Member(m.id(), withoutSlash(m.url()), m.witness(), m.via() == null ? null : withoutSlash(m.via())));
        }
        members = List.copyOf(normalized);
        if (secret == null || secret.isBlank()) {
            throw new InvalidSettingsException("cluster.secret", "no secret is set",
                    "Set the same secret on every member (e.g. CLUSTER_SECRET=$(openssl rand -hex 32)): peers authenticate /replicate calls with it.");
        }
        if (name == null || name.isBlank()) {
            throw new InvalidSettingsException("cluster.name", "the name is blank", "Name the cluster: each data dir is stamped with it.");
        }
    }

    // One spelling per URL: pbkv appends its paths, and the fingerprint compares URLs as text.
    private static String withoutSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Why a member URL cannot be used, or null: http(s), a host, a port, and nothing after it. */
    static String urlProblem(String url) {
        if (url == null || url.isBlank()) {
            return "the url is missing";
        }
        try {
            URI uri = new URI(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                return "the url " + url + " is not http:// or https://";
            }
            if (uri.getHost() == null || uri.getPort() < 1) {
                return "the url " + url + " needs a host and a port";
            }
            if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                return "the url " + url + " must end at the port: pbkv adds the paths itself";
            }
            return null;
        } catch (URISyntaxException e) {
            return "the url " + url + " is malformed: " + e.getReason();
        }
    }

    public String urlOf(String id) {
        return members.stream().filter(m -> m.id().equals(id)).map(Member::url).findFirst().orElse(null);
    }
}
