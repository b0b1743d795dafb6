package pbkv.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every node of a bench cluster is started with: the jar, JVM flags, and the properties a
 * scenario varies (replication mode, failure-detection timings, log retention). Node flags may
 * contain {@code {id}}, replaced by the node id, so that e.g. each node writes its own JFR file.
 */
public record NodeSettings(Path jar, List<String> jvmFlags, String mode, String heartbeat, String failureTimeout,
                    Integer logRetention, List<String> extraProperties) {

    /**
     * Collector and heap of every node unless --node-gc-opts replaces them. A node holding
     * kv.max-keys keys must stay within the catch-up bench's RSS target (docs/performance.md), and
     * a throughput collector with a large heap grows far beyond its live set. The serial collector
     * (2 cores are shared by 4 JVMs anyway) with a small young generation keeps RSS near it.
     */
    public static final List<String> DEFAULT_GC_FLAGS = List.of("-XX:+UseSerialGC", "-Xmx480m", "-Xmn64m");

    /**
     * A witness stores nothing and serves only heartbeats and votes, a few requests a second:
     * C2's peak speed buys it nothing, while C2 compiling its slowly-warming code competes with the
     * measured load and keeps the JIT warm-up from settling. C1 alone
     * (what bin/cluster runs every node with) compiles it in seconds and then stays quiet.
     */
    static final String WITNESS_JIT_FLAG = "-XX:TieredStopAtLevel=1";

    public NodeSettings {
        jvmFlags = List.copyOf(jvmFlags);
        extraProperties = List.copyOf(extraProperties);
    }

    NodeSettings withMode(String m) {
        return new NodeSettings(jar, jvmFlags, m, heartbeat, failureTimeout, logRetention, extraProperties);
    }

    /** With {@code storage.fsync} set, unless {@code policy} is null (the node's default). */
    NodeSettings withFsync(String policy) {
        if (policy == null) {
            return this;
        }
        List<String> more = new ArrayList<>(extraProperties);
        more.add("--storage.fsync=" + policy);
        return new NodeSettings(jar, jvmFlags, mode, heartbeat, failureTimeout, logRetention, more);
    }

    NodeSettings withTimings(String hb, String failure) {
        return new NodeSettings(jar, jvmFlags, mode, hb, failure, logRetention, extraProperties);
    }

    NodeSettings withLogRetention(Integer retention) {
        return new NodeSettings(jar, jvmFlags, mode, heartbeat, failureTimeout, retention, extraProperties);
    }

    /** The full command of one node; {@code members} are (id, port, witness) of the whole cluster. */
    List<String> command(String nodeId, int port, Path dataDir, String secret, List<BenchCluster.Member> members) {
        return command(nodeId, port, dataDir, secret, members, Map.of());
    }

    /**
     * The same, reaching each member whose id {@code viaPorts} maps through that loopback port (a
     * link proxy) while every node keeps the same member list, as the cluster fingerprint requires.
     */
    public List<String> command(String nodeId, int port, Path dataDir, String secret, List<BenchCluster.Member> members,
                                Map<String, Integer> viaPorts) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Not one of the replaceable GC flags: a step half-applied by an OutOfMemoryError must not keep serving.
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        boolean witness = members.stream().anyMatch(m -> m.id().equals(nodeId) && m.witness());
        if (witness && jvmFlags.stream().noneMatch(f -> f.startsWith("-XX:TieredStopAtLevel"))) {
            cmd.add(WITNESS_JIT_FLAG);
        }
        for (String flag : jvmFlags) {
            cmd.add(flag.replace("{id}", nodeId));
        }
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.add("--server.port=" + port);
        cmd.add("--server.address=127.0.0.1"); // every bench node and client is on loopback
        cmd.add("--node.id=" + nodeId);
        cmd.add("--node.data-dir=" + dataDir);
        cmd.add("--cluster.secret=" + secret);
        // Required at start-up; the bench never calls a /cluster mutation, so the random secret serves.
        cmd.add("--security.admin-password=" + secret);
        cmd.add("--cluster.initial-primary=primary");
        for (int i = 0; i < members.size(); i++) {
            BenchCluster.Member m = members.get(i);
            cmd.add("--cluster.members[" + i + "].id=" + m.id());
            cmd.add("--cluster.members[" + i + "].url=http://127.0.0.1:" + m.port());
            cmd.add("--cluster.members[" + i + "].witness=" + m.witness());
            if (viaPorts.containsKey(m.id()) && !m.id().equals(nodeId)) {
                cmd.add("--cluster.members[" + i + "].via=http://127.0.0.1:" + viaPorts.get(m.id()));
            }
        }
        cmd.add("--replication.mode=" + mode);
        cmd.add("--heartbeat.interval=" + heartbeat);
        cmd.add("--failure.timeout=" + failureTimeout);
        if (logRetention != null) {
            cmd.add("--replication.log-retention=" + logRetention);
        }
        cmd.add("--logging.level.root=WARN");
        for (String p : extraProperties) {
            cmd.add(p.startsWith("--") ? p : "--" + p);
        }
        return cmd;
    }
}
