package pbkv.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import pbkv.check.PbkvHistoryFormat;

/**
 * Every operation the scenario's clients completed, as lines of the checker's own format
 * ({@link PbkvHistoryFormat}), plus what the timeline needs: when each write ended and how long it took.
 */
final class HistoryRecorder {

    /** One completed client operation. {@code outcome} is ok, fail or unknown, as in the history format. */
    record Op(String client, String type, String key, String arg, Exchange exchange, String outcome, String value) {

        boolean write() {
            return type.equals("put");
        }

        String line() {
            return String.join("\t", client, type, key, arg == null ? "-" : arg, "-",
                    Long.toString(exchange.invokeNanos()), Long.toString(exchange.completeNanos()), outcome,
                    value == null ? "-" : value, outcome.equals("ok") && exchange.version() != null ? exchange.version() : "-");
        }
    }

    private final List<Op> ops = new ArrayList<>(); // guarded by this

    /** Records a PUT: 200 ok; a redirect, a refused connection or another 4xx did not apply; the rest may have. */
    synchronized Op put(String client, String key, String value, Exchange e) {
        String outcome;
        if (e.status() == 200) {
            outcome = "ok";
        } else if (e.refused() || (e.status() >= 300 && e.status() < 500)) {
            outcome = "fail";
        } else {
            outcome = "unknown";
        }
        Op op = new Op(client, "put", key, value, e, outcome, null);
        ops.add(op);
        return op;
    }

    /** Records a linearizable GET: 200 and 404 are reads; any other answer tells nothing. */
    synchronized Op get(String client, String key, Exchange e) {
        Op op;
        if (e.status() == 200) {
            op = new Op(client, "get", key, null, e, "ok", NodeHttp.value(e.responseBody()));
        } else if (e.status() == 404) {
            op = new Op(client, "get", key, null, e, "ok", null);
        } else {
            op = new Op(client, "get", key, null, e, "fail", null);
        }
        ops.add(op);
        return op;
    }

    synchronized List<Op> ops() {
        return List.copyOf(ops);
    }

    List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(PbkvHistoryFormat.HEADER);
        ops().forEach(op -> lines.add(op.line()));
        return lines;
    }

    void write(Path file) throws IOException {
        Files.write(file, lines());
    }
}
