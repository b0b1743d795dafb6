package pbkv.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import pbkv.harness.KvClient;
import pbkv.harness.NodeProcess;
import pbkv.harness.PortPicker;

/**
 * A throw-away cluster on fresh ports with fresh data directories (under one directory per
 * cluster), started all at once and killed on {@link #close()}. The initial primary is always
 * {@code primary}; "ready" means every node answers and the primary's in-sync set holds every
 * data member, so a measurement never includes a backup still joining.
 */
public final class BenchCluster implements AutoCloseable {

    /** One member: {@code port} is 0 in a layout, filled in when the cluster starts. */
    public record Member(String id, boolean witness, int port) {
    }

    static final List<Member> SINGLE = List.of(new Member("primary", false, 0));
    static final List<Member> ONE_BACKUP = List.of(new Member("primary", false, 0), new Member("backup", false, 0),
            new Member("witness", true, 0));
    static final List<Member> TWO_BACKUPS = List.of(new Member("primary", false, 0), new Member("backup", false, 0),
            new Member("backup2", false, 0), new Member("witness", true, 0));

    /** Spring Boot starts in seconds, but several JVMs starting at once on two busy cores can take minutes. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(240);

    private final List<Member> members;
    private final Map<String, NodeProcess> nodes = new LinkedHashMap<>();
    private final KvClient http;

    private BenchCluster(List<Member> members, KvClient http) {
        this.members = members;
        this.http = http;
    }

    static BenchCluster start(List<Member> layout, NodeSettings settings, Path dir, KvClient http) throws IOException {
        List<Member> members = new ArrayList<>();
        try (PortPicker ports = new PortPicker()) {
            for (Member m : layout) {
                members.add(new Member(m.id(), m.witness(), ports.reserve()));
            }
        }
        BenchCluster cluster = new BenchCluster(List.copyOf(members), http);
        String secret = UUID.randomUUID().toString();
        Files.createDirectories(dir);
        try {
            for (Member m : members) {
                Path nodeDir = dir.resolve(m.id());
                NodeProcess node = new NodeProcess(m.id(), m.port(),
                        settings.command(m.id(), m.port(), nodeDir.resolve("data"), secret, members), nodeDir,
                        nodeDir.resolve("node.log"));
                cluster.nodes.put(m.id(), node);
                node.start();
            }
        } catch (UncheckedIOException e) {
            cluster.close();
            throw e.getCause();
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    NodeProcess node(String id) {
        NodeProcess node = nodes.get(id);
        if (node == null) {
            throw new IllegalArgumentException("no node " + id + " in this cluster");
        }
        return node;
    }

    List<String> ids() {
        return List.copyOf(nodes.keySet());
    }

    List<String> dataMembers() {
        return members.stream().filter(m -> !m.witness()).map(Member::id).toList();
    }

    /** Waits until every node answers /actuator/health and the primary has every data member in sync. */
    void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String waitingFor = "nothing yet";
        while (System.nanoTime() < deadline) {
            checkAlive();
            waitingFor = notReady();
            if (waitingFor == null) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IOException("cluster not ready within " + timeout.toSeconds() + " s: waiting for " + waitingFor);
    }

    /** Waits until {@code id} is in the primary's in-sync set (after a join, catch-up or restart). */
    boolean awaitInSync(String primaryId, String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (inSync(primaryId).contains(id)) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    /** The node's /cluster view, or null if it does not answer. */
    Map<String, Object> view(String id) {
        return http.jsonObject(node(id).baseUrl() + "/cluster");
    }

    /** Milliseconds the node's JIT compilers have spent so far (Micrometer's jvm.compilation.time), or -1. */
    double compilationMillis(String id) {
        Map<String, Object> metric = http.jsonObject(node(id).baseUrl() + "/actuator/metrics/jvm.compilation.time");
        if (metric != null && metric.get("measurements") instanceof List<?> list && !list.isEmpty()
                && list.get(0) instanceof Map<?, ?> first && first.get("value") instanceof Number value) {
            return value.doubleValue();
        }
        return -1;
    }

    @SuppressWarnings("unchecked")
    List<String> inSync(String id) {
        Map<String, Object> v = view(id);
        Object list = v == null ? null : v.get("inSync");
        return list instanceof List ? (List<String>) list : List.of();
    }

    long number(String id, String field) {
        return number(view(id), field);
    }

    /** A whole-number field of a /cluster view, or -1 if the node did not answer or has none. */
    static long number(Map<String, Object> view, String field) {
        return view != null && view.get(field) instanceof Number n ? n.longValue() : -1;
    }

    private String notReady() {
        for (NodeProcess node : nodes.values()) {
            if (http.jsonObject(node.baseUrl() + "/actuator/health") == null) {
                return node.id() + " to answer /actuator/health";
            }
        }
        Map<String, Object> primary = view("primary");
        if (primary == null || !"PRIMARY".equals(primary.get("role"))) {
            return "primary to be PRIMARY";
        }
        List<String> inSync = inSync("primary");
        if (!inSync.containsAll(dataMembers())) {
            return "in-sync set " + inSync + " to hold " + dataMembers();
        }
        // The primary counts a backup in sync as soon as it has won its epoch; the backup learns
        // of that epoch from the next message. Ready is both: a bench that starts in between sees
        // the backup still STALE, at the old epoch (and not allowed to campaign).
        long epoch = number(primary, "epoch");
        for (String id : dataMembers()) {
            if (!id.equals("primary") && number(id, "epoch") != epoch) {
                return id + " to be at the primary's epoch " + epoch;
            }
        }
        return null;
    }

    private void checkAlive() throws IOException {
        for (NodeProcess node : nodes.values()) {
            if (!node.isAlive()) {
                throw new IOException("node " + node.id() + " exited during start-up; last lines of " + node.logFile() + ":\n"
                        + node.logTail(30));
            }
        }
    }

    @Override
    public void close() {
        nodes.values().forEach(NodeProcess::kill);
    }
}
