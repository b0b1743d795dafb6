package pbkv.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import pbkv.harness.KvClient;

/**
 * What every subcommand shares: the node jar, extra node JVM flags, the scratch directory the
 * clusters live in (deleted at the end unless --keep), where results go, and how many JDK
 * HttpClient instances the load generator spreads its clients over.
 */
final class BenchContext {

    private final Path jar;
    private final List<String> nodeJvmFlags;
    private final List<String> nodeProperties;
    private final Path workDir;
    private final Path outDir;
    private final int httpClientCount;
    private boolean keep;
    private final String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    private final KvClient http = KvHttp.prober();
    private int clusters;

    BenchContext(BenchArgs args) throws IOException {
        this.jar = Path.of(args.string("jar", System.getProperty("pbkv.jar", "target/pbkv.jar"))).toAbsolutePath();
        String gc = args.string("node-gc-opts", String.join(" ", NodeSettings.DEFAULT_GC_FLAGS)).trim();
        String opts = (gc + " " + args.string("node-java-opts", "")).trim();
        this.nodeJvmFlags = opts.isEmpty() ? List.of() : Arrays.asList(opts.split("\\s+"));
        String props = args.string("node-props", "").trim();
        this.nodeProperties = props.isEmpty() ? List.of() : Arrays.asList(props.split("\\s+"));
        this.outDir = Path.of(args.string("out", System.getProperty("pbkv.bench.out", "bench-results")));
        this.httpClientCount = args.integer("http-clients", 1);
        this.keep = args.flag("keep");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no node jar at " + jar + ": build it (./mvnw package -DskipTests) or pass --jar");
        }
        this.workDir = Files.createTempDirectory("pbkv-bench-");
    }

    /** Node settings with the shipped defaults: sync mode, 100 ms heartbeat, 1 s failure timeout. */
    NodeSettings nodeSettings() {
        return new NodeSettings(jar, nodeJvmFlags, "sync", "100ms", "1s", null, nodeProperties);
    }

    /** A fresh directory for the next cluster, named after what it is for. */
    Path clusterDir(String name) {
        return workDir.resolve(String.format("%02d-%s", ++clusters, name));
    }

    KvClient http() {
        return http;
    }

    /**
     * HttpClients for {@code clients} load threads: --http-clients of them (default 1), 0 meaning one per thread.
     * One shared client by default: its one selector thread serves every connection, where a client per
     * thread adds a selector thread per load thread competing for the same few cores.
     */
    List<HttpClient> httpClients(int clients) {
        int n = httpClientCount <= 0 ? clients : Math.min(httpClientCount, clients);
        List<HttpClient> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(KvHttp.newClient());
        }
        return list;
    }

    Path outDir() {
        return outDir;
    }

    /** A file name stem unique to this invocation, e.g. {@code run-20250101-120000}. */
    String stem(String kind) {
        return kind + "-" + stamp;
    }

    /** After a failure: keep the node logs so that the failure can be explained. */
    void keepForDiagnosis() {
        keep = true;
    }

    void cleanUp() {
        if (keep) {
            System.out.println("node directories and logs kept in " + workDir);
            return;
        }
        try (Stream<Path> paths = Files.walk(workDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + workDir + ": " + e.getMessage());
        }
    }
}
