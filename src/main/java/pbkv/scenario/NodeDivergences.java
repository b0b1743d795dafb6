package pbkv.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What each node's {@code GET /cluster/divergence} says it dropped: the entries a returning old
 * primary discarded because its successor never had them, each marked acknowledged when this
 * node had answered success to a client for it. Read once, after the final reads; a node that
 * does not serve the endpoint (down, or a build without it) is "not available", never a failure.
 */
final class NodeDivergences {

    /** Entries listed per node; the rest are counted. */
    static final int MAX_ROWS = 20;

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** {@code acknowledged} is null when the node cannot know (it restarted since, and in sync mode keeps no commit index on disk). */
    record Entry(String key, String value, long epoch, long index, Boolean acknowledged, String droppedAt, String primary) {
    }

    /** One node's answer; {@code unavailable} says why there is none, else null. */
    record NodeDivergence(String node, String unavailable, long dropped, long acknowledged, List<Entry> entries) {
    }

    private record Answer(String node, long dropped, long acknowledged, List<Entry> entries) {
    }

    private NodeDivergences() {
    }

    static List<NodeDivergence> fetch(ScenarioCluster cluster, NodeHttp http) {
        List<NodeDivergence> all = new ArrayList<>();
        for (String id : cluster.ids()) {
            // Sent as the operator: the endpoint may be admin-only like every /cluster path but the view.
            all.add(cluster.node(id).isAlive()
                    ? parse(id, http.get(cluster.url(id) + "/cluster/divergence", Map.of("Authorization", cluster.adminAuthorization())))
                    : unavailable(id, "the node is down"));
        }
        return all;
    }

    static NodeDivergence parse(String id, Exchange e) {
        if (e.status() != 200) {
            return unavailable(id, e.answered() ? "HTTP " + e.status() : "no answer: " + e.error());
        }
        try {
            Answer a = JSON.readValue(e.responseBody(), Answer.class);
            return new NodeDivergence(id, null, a.dropped(), a.acknowledged(), a.entries() == null ? List.of() : a.entries());
        } catch (RuntimeException notTheContract) {
            return unavailable(id, "unreadable answer: " + notTheContract.getMessage());
        }
    }

    private static NodeDivergence unavailable(String id, String why) {
        return new NodeDivergence(id, why, 0, 0, List.of());
    }

    /** The acknowledged entries dropped, summed over the nodes that answered; null when none did. */
    static Long acknowledged(List<NodeDivergence> nodes) {
        List<NodeDivergence> answered = nodes.stream().filter(n -> n.unavailable() == null).toList();
        return answered.isEmpty() ? null : answered.stream().mapToLong(NodeDivergence::acknowledged).sum();
    }

    static void write(Report report, List<NodeDivergence> nodes) {
        report.heading(2, "Divergence");
        report.paragraph("Entries a returning old primary dropped because its successor never had them"
                + " (`GET /cluster/divergence` on each node after the run); *acknowledged* means that node had"
                + " answered success to a client for the entry, so a client was told a write succeeded that is gone.");
        for (NodeDivergence n : nodes) {
            report.heading(3, n.node());
            if (n.unavailable() != null) {
                report.paragraph("not available (" + n.unavailable() + ")");
            } else if (n.entries().isEmpty() && n.dropped() == 0) {
                report.paragraph("none");
            } else {
                report.paragraph(n.dropped() + " entries dropped, " + n.acknowledged() + " of them acknowledged.");
                List<List<String>> rows = n.entries().stream().limit(MAX_ROWS)
                        .map(x -> List.of(cell(x.key()), cell(x.value()), Long.toString(x.epoch()), Long.toString(x.index()),
                                acknowledged(x.acknowledged()), cell(x.droppedAt()), cell(x.primary())))
                        .toList();
                report.table(List.of("key", "value", "epoch", "index", "acknowledged", "dropped at", "new primary"), rows);
                if (n.entries().size() > MAX_ROWS) {
                    report.paragraph("... and " + (n.entries().size() - MAX_ROWS) + " more entries.");
                }
            }
        }
    }

    private static String acknowledged(Boolean acknowledged) {
        return acknowledged == null ? "unknown" : acknowledged ? "yes" : "no";
    }

    private static String cell(String text) {
        return text == null ? "-" : text.replace("|", "\\|");
    }
}
