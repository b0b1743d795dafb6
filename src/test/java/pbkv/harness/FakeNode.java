package pbkv.harness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stand-in node for the harness's own tests, so they run without the product: it takes the same
 * arguments, serves a health document and can call a peer through the URL it was given for it, which
 * exercises the link proxies end to end. JDK only, launched as {@code java -cp <test-classes> FakeNode}.
 *
 * <ul>
 *   <li>{@code GET /actuator/health}: role PRIMARY if it is the initial primary, WITNESS if flagged,
 *       else BACKUP; epoch = how many times it started with this data dir (proves the dir survives).</li>
 *   <li>{@code PUT /fake/role} body {@code "ROLE EPOCH"}: report something else from now on.</li>
 *   <li>{@code GET /peer/{id}}: GET the peer's health through its configured link (via, else url); 200 with the peer's
 *       body, or 502 if unreachable within 1 s.</li>
 *   <li>{@code PUT|GET /kv/{key}}: a toy store on the primary; other nodes answer 307 to the primary's
 *       member URL with {@code X-Pbkv-Primary}.</li>
 *   <li>{@code GET /cwd}: the working directory. {@code --fake.exit-code=N} exits right away.</li>
 * </ul>
 */
public final class FakeNode {

    private final Map<String, String> args;
    private volatile String role;
    private volatile long epoch;
    private final Map<String, String> store = new ConcurrentHashMap<>(); // key -> value NUL version
    private final AtomicLong versions = new AtomicLong();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();

    private FakeNode(Map<String, String> args, long starts) {
        this.args = args;
        this.epoch = starts;
        String self = args.get("node.id");
        this.role = self.equals(args.get("cluster.initial-primary")) ? "PRIMARY"
                : "true".equals(args.get("cluster.members[" + memberIndex(self) + "].witness")) ? "WITNESS" : "BACKUP";
    }

    public static void main(String[] argv) throws IOException {
        Map<String, String> args = new HashMap<>();
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            args.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        if (args.containsKey("fake.exit-code")) {
            System.out.println("FakeNode " + args.get("node.id") + " exiting as asked");
            System.exit(Integer.parseInt(args.get("fake.exit-code")));
        }
        Path dataDir = Path.of(args.get("node.data-dir"));
        Files.createDirectories(dataDir);
        Path startsFile = dataDir.resolve("starts");
        long starts = Files.exists(startsFile) ? Long.parseLong(Files.readString(startsFile).trim()) + 1 : 1;
        Files.writeString(startsFile, Long.toString(starts));

        FakeNode node = new FakeNode(args, starts);
        int port = Integer.parseInt(args.get("server.port"));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", node::handle);
        server.start();
        System.out.println("FakeNode " + args.get("node.id") + " listening on " + port + ", start #" + starts);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        try {
            if (path.equals("/actuator/health")) {
                String primary = role.equals("PRIMARY") ? '"' + args.get("node.id") + '"' : "null";
                reply(exchange, 200, "{\"status\":\"UP\",\"components\":{\"replication\":{\"status\":\"UP\","
                        + "\"details\":{\"role\":\"" + role + "\",\"epoch\":" + epoch
                        + ",\"primary\":" + primary + "}}}}");
            } else if (path.equals("/fake/role")) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String[] parts = body.trim().split(" ");
                role = parts[0];
                epoch = Long.parseLong(parts[1]);
                reply(exchange, 200, "{}");
            } else if (path.startsWith("/peer/")) {
                String peer = path.substring("/peer/".length());
                int index = memberIndex(peer);
                String url = args.getOrDefault("cluster.members[" + index + "].via", args.get("cluster.members[" + index + "].url"));
                try {
                    String body = http.send(HttpRequest.newBuilder(URI.create(url + "/actuator/health"))
                            .timeout(Duration.ofSeconds(1)).build(), BodyHandlers.ofString()).body();
                    reply(exchange, 200, body);
                } catch (IOException e) {
                    reply(exchange, 502, "{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
                }
            } else if (path.startsWith("/kv/")) {
                kv(exchange, path.substring("/kv/".length()));
            } else if (path.equals("/cwd")) {
                reply(exchange, 200, Path.of("").toAbsolutePath().toString());
            } else {
                reply(exchange, 404, "{}");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply(exchange, 500, "{}");
        }
    }

    /** Primary: a map with a global version counter. Others: 307 to the primary's URL as configured here. */
    private void kv(HttpExchange exchange, String key) throws IOException {
        String primary = args.get("cluster.initial-primary");
        if (!role.equals("PRIMARY")) {
            String location = args.get("cluster.members[" + memberIndex(primary) + "].url") + "/kv/" + key;
            exchange.getResponseHeaders().set("Location", location);
            exchange.getResponseHeaders().set("X-Pbkv-Primary", primary);
            reply(exchange, 307, "");
            return;
        }
        if (exchange.getRequestMethod().equals("PUT")) {
            String value = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            store.put(key, value + "\u0000" + versions.incrementAndGet());
        }
        String stored = store.get(key);
        if (stored == null) {
            reply(exchange, 404, "{}");
            return;
        }
        String[] parts = stored.split("\u0000");
        reply(exchange, 200, "{\"key\":\"" + key + "\",\"value\":\"" + parts[0] + "\",\"version\":" + parts[1] + "}");
    }

    private int memberIndex(String id) {
        for (int i = 0; args.containsKey("cluster.members[" + i + "].id"); i++) {
            if (args.get("cluster.members[" + i + "].id").equals(id)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no member " + id);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
