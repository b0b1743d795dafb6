package pbkv.harness;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import pbkv.link.LinkMode;
import pbkv.link.LinkProxy;

/** The {@link LinkProxy} of every directed pair of nodes, addressed by node ids. */
final class ClusterNetwork implements AutoCloseable {

    private final List<String> nodeIds;
    private final Map<String, LinkProxy> links; // key(from, to) -> proxy

    ClusterNetwork(List<String> nodeIds, Map<String, LinkProxy> links) {
        this.nodeIds = List.copyOf(nodeIds);
        this.links = Map.copyOf(links);
    }

    static String key(String from, String to) {
        return from + "->" + to;
    }

    LinkProxy link(String from, String to) {
        LinkProxy link = links.get(key(from, to));
        if (link == null) {
            throw new NoSuchElementException("no link " + key(from, to) + ", nodes are " + nodeIds);
        }
        return link;
    }

    /** Cuts every link to and from {@code id}. */
    void isolate(String id) {
        for (String other : nodeIds) {
            if (!other.equals(id)) {
                link(id, other).cut();
                link(other, id).cut();
            }
        }
    }

    void heal() {
        links.values().forEach(LinkProxy::pass);
    }

    /** A URL a node handed out for a peer (a proxy port) as the peer's real address; others unchanged. */
    URI toRealPort(URI uri) {
        return links.values().stream()
                .filter(link -> link.port() == uri.getPort())
                .findFirst()
                .map(link -> URI.create(uri.getScheme() + "://127.0.0.1:" + link.upstream().getPort()
                        + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
                .orElse(uri);
    }

    /** One line per link that is not passing, for failure messages. */
    String describeFaults() {
        return links.values().stream()
                .filter(link -> !(link.mode() instanceof LinkMode.Pass))
                .map(link -> "  link " + link.name() + " " + link.mode() + "\n")
                .sorted()
                .collect(Collectors.joining());
    }

    @Override
    public void close() {
        links.values().forEach(LinkProxy::close);
    }
}
