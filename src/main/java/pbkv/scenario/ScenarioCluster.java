package pbkv.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import pbkv.bench.BenchCluster;
import pbkv.bench.NodeSettings;
import pbkv.config.SecurityProperties;
import pbkv.harness.NodeProcess;
import pbkv.harness.PortPicker;
import pbkv.link.LinkProxy;

/**
 * A scenario's cluster: primary, backup and witness (or, for the unsafe two-node shape, primary and
 * backup alone) as node processes on free loopback ports, launched as {@link NodeProcess}es.
 * Every node reaches every peer through the {@link LinkProxy} of that directed link, so a scenario
 * can cut, slow or silence links as well as kill nodes.
 */
final class ScenarioCluster implements AutoCloseable {

    static final List<String> IDS = List.of("primary", "backup", "witness");
    static final List<String> TWO_DATA_NODES = List.of("primary", "backup");
    static final String WITNESS = "witness";

    /** Several JVMs starting at once on two busy cores can take minutes. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(240);

    private final Map<String, NodeProcess> nodes = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, LinkProxy> links = new LinkedHashMap<>(); // "from->to"
    private final NodeHttp http;
    private final List<String> ids;
    private final String secret; // the cluster secret and the operator's password

    /** {@code ids}: {@link #IDS} or {@link #TWO_DATA_NODES}; the node named {@value #WITNESS} is the witness. */
    ScenarioCluster(NodeSettings settings, Path dir, NodeHttp http, List<String> ids) throws IOException {
        this.http = http;
        this.ids = List.copyOf(ids);
        List<BenchCluster.Member> members = new ArrayList<>();
        try (PortPicker picker = new PortPicker()) {
            for (String id : ids) {
                int port = picker.reserve();
                ports.put(id, port);
                members.add(new BenchCluster.Member(id, id.equals(WITNESS), port));
            }
        }
        for (String from : ids) {
            for (String to : ids) {
                if (!from.equals(to)) {
                    links.put(from + "->" + to, LinkProxy.open(from + "->" + to, ports.get(to)));
                }
            }
        }
        secret = UUID.randomUUID().toString();
        for (String id : ids) {
            Map<String, Integer> via = new LinkedHashMap<>();
            ids.stream().filter(to -> !to.equals(id)).forEach(to -> via.put(to, links.get(id + "->" + to).port()));
            Path nodeDir = dir.resolve(id);
            Files.createDirectories(nodeDir);
            nodes.put(id, new NodeProcess(id, ports.get(id),
                    settings.command(id, ports.get(id), nodeDir.resolve("data"), secret, members, via), nodeDir,
                    nodeDir.resolve("node.log")));
        }
    }

    List<String> ids() {
        return ids;
    }

    NodeProcess node(String id) {
        NodeProcess node = nodes.get(id);
        if (node == null) {
            throw new IllegalArgumentException("no node " + id);
        }
        return node;
    }

    String url(String id) {
        return node(id).baseUrl();
    }

    /** The operator's (user admin's) credential as an Authorization header value, for admin-only reads. */
    String adminAuthorization() {
        String credential = SecurityProperties.ADMIN + ":" + secret;
        return "Basic " + Base64.getEncoder().encodeToString(credential.getBytes(StandardCharsets.UTF_8));
    }

    int port(String id) {
        return ports.get(id);
    }

    Map<String, Object> view(String id) {
        return node(id).isAlive() ? http.view(url(id)) : null;
    }

    String role(String id) {
        Map<String, Object> v = view(id);
        return v == null ? "DOWN" : String.valueOf(v.get("role"));
    }

    long epoch(String id) {
        Map<String, Object> v = view(id);
        return v != null && v.get("epoch") instanceof Number n ? n.longValue() : -1;
    }

    @SuppressWarnings("unchecked")
    List<String> inSync(String id) {
        Map<String, Object> v = view(id);
        return v != null && v.get("inSync") instanceof List<?> list ? (List<String>) list : List.of();
    }

    /** The node that says it is primary at the highest epoch, or null. */
    String primary() {
        String best = null;
        long bestEpoch = -1;
        for (String id : ids) {
            Map<String, Object> v = view(id);
            if (v != null && "PRIMARY".equals(v.get("role")) && v.get("epoch") instanceof Number n && n.longValue() > bestEpoch) {
                best = id;
                bestEpoch = n.longValue();
            }
        }
        return best;
    }

    void startAll() throws IOException {
        for (NodeProcess node : nodes.values()) {
            node.start();
        }
    }

    /** Every node answers at {@code primary}'s epoch, the other data nodes as BACKUP, all of them in its in-sync set. */
    boolean settled(String primaryId) {
        Map<String, Object> p = view(primaryId);
        if (p == null || !"PRIMARY".equals(p.get("role")) || !(p.get("epoch") instanceof Number epoch)) {
            return false;
        }
        for (String id : ids) {
            Map<String, Object> v = id.equals(primaryId) ? p : view(id);
            boolean roleSettled = v != null && (id.equals(primaryId) || id.equals(WITNESS) || "BACKUP".equals(v.get("role")));
            if (!roleSettled || !(v.get("epoch") instanceof Number e) || e.longValue() != epoch.longValue()) {
                return false;
            }
        }
        return inSync(primaryId).containsAll(ids.stream().filter(id -> !id.equals(WITNESS)).toList());
    }

    /** Polls until {@code condition} holds; false after {@code timeout}. Throws if a node died unasked. */
    boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    /** Cuts every link between {@code id} and the other nodes, both directions. */
    void isolate(String id) {
        links.forEach((name, link) -> {
            if (name.startsWith(id + "->") || name.endsWith("->" + id)) {
                link.cut();
            }
        });
    }

    /**
     * Every link to and from {@code id} delivers nothing and fails nothing: requests hang until the
     * sender's own timeout, as with a node that stopped answering or a path dropping every packet.
     */
    void silence(String id, long seed) {
        links.forEach((name, link) -> {
            if (name.startsWith(id + "->") || name.endsWith("->" + id)) {
                link.lossy(1.0, seed);
            }
        });
    }

    void heal() {
        links.values().forEach(LinkProxy::pass);
    }

    LinkProxy link(String from, String to) {
        return links.get(from + "->" + to);
    }

    @Override
    public void close() {
        nodes.values().forEach(NodeProcess::kill);
        links.values().forEach(LinkProxy::close);
    }
}
