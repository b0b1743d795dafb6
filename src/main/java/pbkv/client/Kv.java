package pbkv.client;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** bin/kv: pbkv's command-line client. Exit codes are the outcome, for scripts. */
@Command(name = "kv", mixinStandardHelpOptions = true, version = "pbkv kv 0.1",
        exitCodeOnInvalidInput = Kv.USAGE, exitCodeOnExecutionException = Kv.UNAVAILABLE,
        description = "Reads and writes a pbkv cluster, following the primary.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:not found", "2:precondition failed (If-Match version differs)",
                "3:unavailable, or the outcome of a write is unknown", "4:refused as invalid (bad key, value too large, ...)",
                "64:usage error"},
        subcommands = {WatchCommand.class, StatusCommand.class})
public final class Kv implements Callable<Integer> {

    static final int OK = 0;
    static final int NOT_FOUND = 1;
    static final int PRECONDITION_FAILED = 2;
    static final int UNAVAILABLE = 3;
    static final int REFUSED = 4;
    static final int USAGE = 64;
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--members", paramLabel = "URLS", description = "comma-separated member urls (default: from --config)")
    String members;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "${sys:pbkv.config:-config/application.yml}",
            description = "the cluster's config, whose cluster.members are used (default: ${DEFAULT-VALUE})")
    Path config;

    @Option(names = "--deadline", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "how long to keep trying other members (default: ${DEFAULT-VALUE})")
    Duration deadline;

    @Option(names = "--json", description = "print the node's JSON answer, for scripts")
    boolean json;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Kv());
        cli.setOut(out).setErr(err);
        // Picocli's own default for bad usage is 2, which here means "precondition failed".
        cli.setParameterExceptionHandler((e, arguments) -> {
            e.getCommandLine().getErr().println("kv: " + e.getMessage());
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("kv: " + e.getMessage());
            return e instanceof IllegalArgumentException ? USAGE : UNAVAILABLE;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return USAGE;
    }

    ClusterClient client() {
        return new ClusterClient(Members.resolve(members, config), deadline);
    }

    @Command(name = "get", description = "Print the value of KEY (linearizable read from the primary).")
    int get(@Parameters(paramLabel = "KEY") String key) {
        return report(client().send("GET", keyPath(key), null, Map.of()), v -> v.path("value").asString());
    }

    @Command(name = "put", description = "Set KEY to VALUE.")
    int put(@Parameters(paramLabel = "KEY") String key, @Parameters(paramLabel = "VALUE") String value) {
        return report(client().send("PUT", keyPath(key), value, Map.of()), v -> "OK version " + v.path("version").asLong());
    }

    @Command(name = "cas", description = "Set KEY to VALUE only if its version is still VERSION (If-Match).")
    int cas(@Parameters(paramLabel = "KEY") String key, @Parameters(paramLabel = "VERSION") long version,
            @Parameters(paramLabel = "VALUE") String value) {
        return report(client().send("PUT", keyPath(key), value, Map.of("If-Match", "\"" + version + "\"")),
                v -> "OK version " + v.path("version").asLong());
    }

    @Command(name = "del", description = "Delete KEY; with --if-version only if its version is still that.")
    int del(@Parameters(paramLabel = "KEY") String key,
            @Option(names = "--if-version", paramLabel = "VERSION") Long version) {
        Map<String, String> headers = version == null ? Map.of() : Map.of("If-Match", "\"" + version + "\"");
        return report(client().send("DELETE", keyPath(key), null, headers), v -> "deleted " + key);
    }

    @Command(name = "list", description = "List keys with their values and versions, by prefix.")
    int list(@Parameters(paramLabel = "PREFIX", defaultValue = "", arity = "0..1") String prefix,
             @Option(names = "--limit", defaultValue = "100", paramLabel = "N") int limit) {
        String path = "/kv?limit=" + limit + "&prefix=" + URLEncoder.encode(prefix, StandardCharsets.UTF_8);
        return report(client().send("GET", path, null, Map.of()), v -> {
            StringBuilder text = new StringBuilder();
            v.path("entries").forEach(e -> text.append(e.path("key").asString()).append(" = ")
                    .append(e.path("value").asString()).append("  (version ").append(e.path("version").asLong()).append(")\n"));
            text.append(v.path("count").asInt()).append(v.path("truncated").asBoolean() ? " keys shown, more exist" : " keys");
            return text.toString();
        });
    }

    /** Prints the answer (its JSON with --json, else {@code text} of it) and returns the exit code of its outcome. */
    int report(ClusterClient.Answer answer, java.util.function.Function<JsonNode, String> text) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (answer.status() == 0) {
            err.println("kv: " + answer.failure());
            return UNAVAILABLE;
        }
        JsonNode body = parse(answer.body());
        int code = exitCode(answer.status());
        if (json) {
            out.println(body == null ? answer.body() : body.toString());
        } else if (code == OK) {
            out.println(text.apply(body));
        } else {
            err.println("kv: " + answer.status() + " " + (body == null ? answer.body()
                    : body.path("title").asString("") + ": " + body.path("detail").asString("")));
        }
        return code;
    }

    static int exitCode(int status) {
        if (status >= 200 && status < 300) {
            return OK;
        }
        return switch (status) {
            case 404 -> NOT_FOUND;
            case 412 -> PRECONDITION_FAILED;
            case 500, 503, 504, 307 -> UNAVAILABLE;
            default -> status >= 500 ? UNAVAILABLE : REFUSED;
        };
    }

    static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String keyPath(String key) {
        return "/kv/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Accepts 10s, 500ms, 2m, or ISO-8601 (PT10S). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.strip().toLowerCase();
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            return Duration.parse(value);
        }
    }
}
