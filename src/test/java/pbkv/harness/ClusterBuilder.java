package pbkv.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.util.FileSystemUtils;
import pbkv.link.LinkProxy;

/**
 * Describes a cluster (ids, properties, where the jar is) and lays it out: wipes the test's data and log
 * directories, reserves ports, opens one {@link LinkProxy} per directed pair and prepares each node's
 * command line. Obtain via {@link ClusterHarness#builder(String)}.
 */
public final class ClusterBuilder {

    public static final String PRIMARY = "primary";
    public static final String WITNESS = "witness";
    /** HTTP Basic password of user admin on every node, for /cluster mutations. */
    public static final String ADMIN_PASSWORD = "pbkv-it-admin";
    /** As bin/cluster runs nodes; ExitOnOutOfMemoryError because a step half-applied by an OOM must not keep serving. */
    public static final List<String> JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
            "-XX:+ExitOnOutOfMemoryError");

    private final String testName;
    private int backups = 1;
    private boolean witness = true;
    private String secret = "pbkv-it-secret";
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> nodeProperties = new HashMap<>();
    private Path jar;
    private List<String> launchCommand;
    private Duration startupTimeout = Duration.ofSeconds(120); // JVM start on a loaded 2-core box can take a minute
    private long seed = System.nanoTime();
    private Path outputRoot = projectRoot().resolve("target");
    private TestCerts certs;
    private boolean mutualTls;

    ClusterBuilder(String testName) {
        this.testName = Objects.requireNonNull(testName, "testName");
        properties.put("heartbeat.interval", "100ms");
        properties.put("failure.timeout", "1s");
        properties.put("replication.timeout", "1s");
        // the harness reads role/epoch/primary from the health details, so make sure they are shown
        properties.put("management.endpoint.health.show-details", "always");
    }

    /** Number of data-holding backups besides the primary: ids backup, backup2, backup3, ... Default 1. */
    public ClusterBuilder backups(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("backups must be >= 0: " + count);
        }
        this.backups = count;
        return this;
    }

    /** Whether to run a witness node (votes, stores no data). Default true. */
    public ClusterBuilder witness(boolean enabled) {
        this.witness = enabled;
        return this;
    }

    public ClusterBuilder secret(String secret) {
        this.secret = Objects.requireNonNull(secret, "secret");
        return this;
    }

    /** A property for every node; overrides the harness defaults (e.g. {@code failure.timeout}). */
    public ClusterBuilder property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** A property for one node only; wins over {@link #property}. */
    public ClusterBuilder nodeProperty(String nodeId, String key, String value) {
        nodeProperties.computeIfAbsent(nodeId, id -> new LinkedHashMap<>()).put(key, value);
        return this;
    }

    /** The jar to run; default: system property {@code pbkv.jar}, else {@code target/pbkv.jar}. */
    public ClusterBuilder jar(Path jar) {
        this.jar = jar;
        return this;
    }

    /** Replaces {@code java <flags> -jar <jar>} before the node arguments (the harness's own tests run a fake). */
    public ClusterBuilder launchCommand(List<String> command) {
        this.launchCommand = List.copyOf(command);
        return this;
    }

    /** Bound for {@link ClusterHarness#start()}: every node healthy and a primary elected. Default 60 s. */
    public ClusterBuilder startupTimeout(Duration timeout) {
        this.startupTimeout = timeout;
        return this;
    }

    /** Seed for lossy links; default random, printed in failure descriptions so a run can be replayed. */
    public ClusterBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Where {@code it-logs/} and {@code it-data/} go; default {@code <project>/target}. */
    public ClusterBuilder outputRoot(Path root) {
        this.outputRoot = root;
        return this;
    }

    /**
     * Every node serves HTTPS with its certificate from {@code certs} and calls its peers over HTTPS (through
     * the same link proxies: TLS passes through them untouched); with {@code mutual}, every node requires a
     * client certificate, from peers and clients alike. The harness's own client and health probe trust the
     * CA and present the {@code client} certificate.
     */
    public ClusterBuilder tls(TestCerts certs, boolean mutual) {
        this.certs = Objects.requireNonNull(certs, "certs");
        this.mutualTls = mutual;
        return this;
    }

    /** Lays the cluster out (wiping this test's old data and logs) without starting any node. */
    public ClusterHarness build() {
        List<String> ids = nodeIds();
        nodeProperties.keySet().stream().filter(id -> !ids.contains(id)).findAny().ifPresent(id -> {
            throw new IllegalArgumentException("nodeProperty for unknown node " + id + ", nodes are " + ids);
        });
        String dirName = testName.replaceAll("[^A-Za-z0-9._-]", "_");
        Path dataRoot = outputRoot.resolve("it-data").resolve(dirName).toAbsolutePath();
        Path logRoot = outputRoot.resolve("it-logs").resolve(dirName).toAbsolutePath();
        deleteRecursively(dataRoot);
        deleteRecursively(logRoot);
        List<String> launch = launchCommand != null ? launchCommand : defaultLaunchCommand();

        PortPicker ports = new PortPicker();
        Map<String, LinkProxy> links = new LinkedHashMap<>();
        try {
            Map<String, Integer> portOf = new LinkedHashMap<>();
            ids.forEach(id -> portOf.put(id, ports.reserve()));
            for (String from : ids) {
                for (String to : ids) {
                    if (!from.equals(to)) {
                        links.put(ClusterNetwork.key(from, to), LinkProxy.open(from + "->" + to, portOf.get(to)));
                    }
                }
            }
            Map<String, NodeProcess> nodes = new LinkedHashMap<>();
            for (String id : ids) {
                Path workDir = dataRoot.resolve(id);
                List<String> command = new ArrayList<>(launch);
                arguments(id, ids, portOf, links, workDir.resolve("data"))
                        .forEach((key, value) -> command.add("--" + key + "=" + value));
                nodes.put(id, new NodeProcess(id, scheme(), portOf.get(id), command, workDir, logRoot.resolve(id + ".log")));
            }
            return new ClusterHarness(nodes, new ClusterNetwork(ids, links), ports, startupTimeout, seed, logRoot,
                    certs == null ? null : certs.clientContext());
        } catch (RuntimeException e) {
            ports.release();
            links.values().forEach(LinkProxy::close);
            throw e;
        }
    }

    /** {@code build().start()}. */
    public ClusterHarness start() {
        return build().start();
    }

    List<String> nodeIds() {
        List<String> ids = new ArrayList<>();
        ids.add(PRIMARY);
        for (int i = 1; i <= backups; i++) {
            ids.add(i == 1 ? "backup" : "backup" + i);
        }
        if (witness) {
            ids.add(WITNESS);
        }
        return ids;
    }

    /** One map so that an overridden key appears once: Spring would join repeated args with commas. */
    private Map<String, String> arguments(String self, List<String> ids, Map<String, Integer> portOf,
                                          Map<String, LinkProxy> links, Path dataDir) {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("server.port", portOf.get(self).toString());
        args.put("node.id", self);
        args.put("node.data-dir", dataDir.toString());
        args.put("cluster.secret", secret);
        args.put("security.admin-password", ADMIN_PASSWORD);
        args.put("cluster.initial-primary", PRIMARY);
        for (int i = 0; i < ids.size(); i++) {
            String member = ids.get(i);
            // Every node knows each member by its own port (the same member list everywhere, as the
            // cluster fingerprint requires) and reaches every peer via the proxy of that directed link.
            args.put("cluster.members[" + i + "].id", member);
            args.put("cluster.members[" + i + "].url", scheme() + "://127.0.0.1:" + portOf.get(member));
            args.put("cluster.members[" + i + "].witness", Boolean.toString(member.equals(WITNESS)));
            if (!member.equals(self)) {
                args.put("cluster.members[" + i + "].via", scheme() + "://127.0.0.1:" + links.get(ClusterNetwork.key(self, member)).port());
            }
        }
        if (certs != null) {
            args.putAll(certs.nodeProperties(self, mutualTls));
        }
        args.putAll(properties);
        args.putAll(nodeProperties.getOrDefault(self, Map.of()));
        return args;
    }

    private String scheme() {
        return certs == null ? "http" : "https";
    }

    private List<String> defaultLaunchCommand() {
        Path jarPath = (jar != null ? jar : defaultJar()).toAbsolutePath();
        if (!Files.isRegularFile(jarPath)) {
            throw new IllegalStateException("node jar " + jarPath + " not found: run the ITs with "
                    + "'./mvnw verify' (packages first) or build it with './mvnw -DskipTests package'");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.add("-jar");
        command.add(jarPath.toString());
        return command;
    }

    static Path defaultJar() {
        String jar = System.getProperty("pbkv.jar");
        return jar != null && !jar.isBlank() ? Path.of(jar) : projectRoot().resolve("target/pbkv.jar");
    }

    /** Surefire and failsafe set {@code basedir}; from an IDE the working directory is the project. */
    static Path projectRoot() {
        String basedir = System.getProperty("basedir");
        return (basedir != null ? Path.of(basedir) : Path.of("")).toAbsolutePath();
    }

    /** Deletes a test's directory tree; a failure is an error of the test, not something to skip. */
    public static void deleteRecursively(Path root) {
        try {
            FileSystemUtils.deleteRecursively(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot wipe " + root + " (is a node from an earlier run still alive?)", e);
        }
    }
}
