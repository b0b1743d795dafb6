package pbkv.harness;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.TestInfo;
import pbkv.link.LinkProxy;

/**
 * A real cluster of node processes on loopback, every directed link through its own {@link LinkProxy},
 * with nemesis operations and health queries. Always use in try-with-resources: {@link #close()} kills
 * every node and closes every proxy (and a JVM shutdown hook reaps nodes if the test JVM dies first).
 * All waits are bounded and poll with Awaitility; a timeout fails with {@link #describe()} in the message.
 */
public final class ClusterHarness implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(100);

    private final Map<String, NodeProcess> nodes;
    private final ClusterNetwork network;
    private final PortPicker reservedPorts;
    private final Duration startupTimeout;
    private final long seed;
    private final Path logDir;
    private final HealthProbe probe;
    private final KvClient client;
    private volatile boolean closed;

    ClusterHarness(Map<String, NodeProcess> nodes, ClusterNetwork network, PortPicker reservedPorts,
                   Duration startupTimeout, long seed, Path logDir) {
        this(nodes, network, reservedPorts, startupTimeout, seed, logDir, null);
    }

    /** {@code tls}: how the harness reaches nodes that serve HTTPS (trust, and a certificate for mutual TLS); null for HTTP. */
    ClusterHarness(Map<String, NodeProcess> nodes, ClusterNetwork network, PortPicker reservedPorts,
                   Duration startupTimeout, long seed, Path logDir, javax.net.ssl.SSLContext tls) {
        this.nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes)); // keeps the builder's order
        this.network = network;
        this.reservedPorts = reservedPorts;
        this.startupTimeout = startupTimeout;
        this.seed = seed;
        this.logDir = logDir;
        this.probe = new HealthProbe(tls);
        this.client = new KvClient(tls).followingRedirects().withRedirectRewriter(network::toRealPort);
    }

    /** Directories are named after the test: {@code target/it-logs/<testName>/<node>.log}. */
    public static ClusterBuilder builder(String testName) {
        return new ClusterBuilder(testName);
    }

    /**
     * Names the directories {@code <TestClass>.<testMethod>}, plus the display name when it is not the
     * method's (repeated and parameterized invocations), so invocations do not wipe each other's logs.
     */
    public static ClusterBuilder builder(TestInfo test) {
        String method = test.getTestMethod().map(m -> m.getName()).orElse("test");
        String name = test.getTestClass().map(Class::getSimpleName).orElse("Test") + "." + method;
        String display = test.getDisplayName();
        return builder(display.startsWith(method + "(") ? name : name + "." + display);
    }

    /** Launches all nodes at once and waits until each answers its health check and a primary exists. */
    public ClusterHarness start() {
        reservedPorts.release();
        try {
            nodes.values().forEach(NodeProcess::start);
            awaiting("every node healthy and a primary elected", startupTimeout)
                    .failFast("a node exited during startup", () -> nodes.values().stream().anyMatch(n -> !n.isAlive()))
                    .until(() -> clusterHealth(), h -> h.allAnswered() && h.primary().isPresent());
            return this;
        } catch (RuntimeException | Error e) {
            IllegalStateException failure =
                    new IllegalStateException("cluster did not start: " + e.getMessage() + "\n" + describe(), e);
            try {
                close();
            } catch (RuntimeException | Error closeFailure) {
                failure.addSuppressed(closeFailure); // do not let cleanup hide why the start failed
            }
            throw failure;
        }
    }

    /**
     * Launches only {@code ids} (the others' machines are "not up yet": start them later with
     * {@link #restart}) and waits until each of them answers its health check; unlike {@link #start()}
     * it does not wait for a primary, which a subset may not be able to elect.
     */
    public ClusterHarness startOnly(List<String> ids, Duration timeout) {
        ids.forEach(this::node);
        reservedPorts.release();
        ids.forEach(id -> node(id).start());
        awaitValue("every one of " + ids + " answering its health check", timeout,
                () -> Optional.of(probe.healthOf(ids.stream().map(this::node).toList()))
                        .filter(ClusterHealth::allAnswered));
        return this;
    }

    public NodeProcess node(String id) {
        NodeProcess node = nodes.get(id);
        if (node == null) {
            throw new NoSuchElementException("no node " + id + ", nodes are " + nodeIds());
        }
        return node;
    }

    /** primary, backup, backup2, ..., witness. */
    public List<String> nodeIds() {
        return List.copyOf(nodes.keySet());
    }

    /** The proxy carrying the connections {@code from} opens to {@code to}. */
    public LinkProxy link(String from, String to) {
        return network.link(from, to);
    }

    /** A client that follows 307s, turning the proxy URL in {@code Location} into the target's real port. */
    public KvClient client() {
        return client;
    }

    public long seed() {
        return seed;
    }

    public Path logDir() {
        return logDir;
    }

    // ---- nemesis: processes

    public void kill(String id) {
        node(id).kill();
    }

    public void pause(String id) {
        node(id).pause();
    }

    public void resume(String id) {
        node(id).resume();
    }

    /**
     * kill -9 every running node at once (a power cut): all SIGKILLs are sent before the first is
     * waited for, from one thread per node, and this returns once the OS has reaped every process.
     */
    public void crashEveryNode() {
        List<NodeProcess> running = nodes.values().stream().filter(NodeProcess::isAlive).toList();
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> kills = new ArrayList<>();
        ExecutorService killers = Executors.newFixedThreadPool(Math.max(1, running.size()));
        try {
            for (NodeProcess node : running) {
                kills.add(CompletableFuture.runAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    node.kill();
                }, killers));
            }
            go.countDown();
            CompletableFuture.allOf(kills.toArray(CompletableFuture[]::new)).join();
        } finally {
            killers.shutdownNow();
        }
    }

    /**
     * Starts {@code order} one after another: each node is launched once the one before it answers its
     * health check, so the order is the order in which the nodes come back (a node recovers its data
     * directory before it serves). Does not wait for the last one, nor for a primary.
     */
    public void startInOrder(List<String> order, Duration timeoutEach) {
        for (int i = 0; i < order.size(); i++) {
            node(order.get(i)).start();
            if (i + 1 < order.size()) {
                String id = order.get(i);
                awaitValue(id + " answering its health check before " + order.get(i + 1) + " starts", timeoutEach,
                        () -> {
                            if (!node(id).isAlive()) {
                                throw new AssertionError(id + " exited while starting\n" + describe());
                            }
                            return health(id);
                        });
            }
        }
    }

    /**
     * A power loss of one node: kill -9, then its files cut back to their length at their last
     * fsync (what the device held), then a restart. Needs {@code storage.power-loss-journal=true}.
     */
    public void powerLoss(String id) {
        NodeProcess n = node(id);
        n.kill();
        try {
            pbkv.persistence.PowerLossJournal.cut(n.workDir().resolve("data").resolve(id));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot emulate the power loss of " + id, e);
        }
        n.restart();
    }

    /** Crash-restart with the same arguments and data directory; does not wait for the node to come up. */
    public void restart(String id) {
        node(id).restart();
    }

    // ---- nemesis: links. Directed: a->b is the connections a opens to b, their replies included.

    public void cut(String from, String to) {
        link(from, to).cut();
    }

    public void cutBoth(String a, String b) {
        cut(a, b);
        cut(b, a);
    }

    /** Cuts every link to and from {@code id}; clients still reach it directly. */
    public void isolate(String id) {
        network.isolate(node(id).id());
    }

    public void delay(String from, String to, Duration latency) {
        link(from, to).delay(latency);
    }

    /** See {@link LinkProxy#lossy}; seeded from the harness seed and the link, so a seed replays the draws. */
    public void lossy(String from, String to, double p) {
        lossy(from, to, p, seed ^ ClusterNetwork.key(from, to).hashCode());
    }

    public void lossy(String from, String to, double p, long linkSeed) {
        link(from, to).lossy(p, linkSeed);
    }

    /** Every link back to pass. Paused or killed nodes stay as they are. */
    public void heal() {
        network.heal();
    }

    // ---- queries

    /** The node's health; empty if it is down, paused or does not answer within a second. */
    public Optional<NodeHealth> health(String id) {
        return probe.health(node(id));
    }

    /** Health of every node, asked in parallel. */
    public ClusterHealth clusterHealth() {
        return probe.healthOf(nodes.values());
    }

    /** Among nodes that answer, the one reporting PRIMARY with the highest epoch. */
    public Optional<String> primaryId() {
        return clusterHealth().primary();
    }

    public String awaitPrimary(Duration timeout) {
        return awaitValue("a primary", timeout, this::primaryId);
    }

    /**
     * Waits until every running, unpaused node answers, one is PRIMARY and every other data node is BACKUP
     * in its epoch. {@link #start()} only waits for a primary, while a backup may still be catching up:
     * wait for this before a write whose survival of a failover the test relies on.
     */
    public String awaitSettled(Duration timeout) {
        return awaitValue("a settled cluster (one primary, every backup in its epoch)", timeout,
                () -> probe.healthOf(nodes.values().stream().filter(n -> n.isAlive() && !n.isPaused()).toList())
                        .settledPrimary());
    }

    public NodeHealth awaitRole(String id, NodeRole role, Duration timeout) {
        return awaitHealth(id, health -> health.is(role), timeout);
    }

    /** Waits until {@code id} answers with a health that matches; returns that health. */
    public NodeHealth awaitHealth(String id, Predicate<NodeHealth> condition, Duration timeout) {
        node(id);
        return awaitValue("health of " + id + " to match", timeout, () -> health(id).filter(condition));
    }

    /** Processes, health, faulty links and each log's tail: what a failure message needs. */
    public String describe() {
        StringBuilder out = new StringBuilder("cluster (seed " + seed + ", logs " + logDir + "):\n");
        Map<String, Optional<NodeHealth>> health = closed ? Map.of() : clusterHealth().nodes();
        for (NodeProcess node : nodes.values()) {
            out.append("  ").append(node).append(" health=")
                    .append(health.getOrDefault(node.id(), Optional.empty()).map(Object::toString).orElse("-"))
                    .append('\n');
        }
        out.append(network.describeFaults());
        for (NodeProcess node : nodes.values()) {
            out.append("---- tail of ").append(node.logFile()).append('\n').append(node.logTail(15)).append('\n');
        }
        return out.toString();
    }

    /** Kills every node and closes every proxy; safe to call twice and after a failed start. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<RuntimeException> failures = new ArrayList<>();
        for (NodeProcess node : nodes.values()) {
            try {
                node.kill();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        try {
            network.close();
        } catch (RuntimeException e) {
            failures.add(e);
        }
        reservedPorts.release();
        if (!failures.isEmpty()) {
            IllegalStateException error = new IllegalStateException("could not stop every node and link");
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }

    private <T> T awaitValue(String what, Duration timeout, Callable<Optional<T>> probeOnce) {
        try {
            return awaiting(what, timeout).until(probeOnce, Optional::isPresent).orElseThrow();
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError("timed out after " + timeout + " waiting for " + what + "\n" + describe(), e);
        }
    }

    private static ConditionFactory awaiting(String what, Duration timeout) {
        return await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(POLL);
    }
}
