package pbkv.check;

import java.util.List;
import java.util.Map;

/**
 * Reads Jepsen KV histories, one EDN map per line:
 * <pre>
 * {:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}
 * {:process 0, :type :ok, :f :get, :key "5", :value ""}
 * </pre>
 * Operations are {@code get}, {@code put} and {@code append}; types {@code invoke}, {@code ok},
 * {@code fail} (did not happen) and {@code info} (unknown outcome). Keys start as {@code ""}
 * (check with {@link KvModel#startingEmpty()}). Blank lines and events of non-numbered
 * processes ({@code :nemesis}) are skipped.
 */
final class JepsenKvParser {

    private JepsenKvParser() {
    }

    static History parse(List<String> lines) throws HistoryParseException {
        JepsenPairing pairing = new JepsenPairing();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                handle(pairing, event(lines.get(i), i + 1), i + 1);
            }
        }
        return new History(KvModel.startingEmpty(), pairing.finish(lines.size()));
    }

    private static Map<String, String> event(String line, int number) throws HistoryParseException {
        try {
            return EdnMap.parse(line);
        } catch (IllegalArgumentException e) {
            throw new HistoryParseException(number, "not an EDN map: " + e.getMessage());
        }
    }

    private static void handle(JepsenPairing pairing, Map<String, String> event, int line)
            throws HistoryParseException {
        String process = required(event, "process", line);
        if (process.startsWith(":")) {
            return;
        }
        String type = keyword(event, "type", line);
        OpType opType = opType(keyword(event, "f", line), line);
        if (type.equals("invoke")) {
            String argument = opType == OpType.GET ? null : required(event, "value", line);
            pairing.invoke(new JepsenPairing.Invocation(process, opType, required(event, "key", line),
                    argument, null, line));
        } else {
            pairing.complete(process, type, opType, event.get("value"), line);
        }
    }

    private static OpType opType(String f, int line) throws HistoryParseException {
        return switch (f) {
            case "get" -> OpType.GET;
            case "put" -> OpType.PUT;
            case "append" -> OpType.APPEND;
            default -> throw new HistoryParseException(line, "unsupported operation :" + f);
        };
    }

    private static String keyword(Map<String, String> event, String name, int line) throws HistoryParseException {
        String value = required(event, name, line);
        if (!value.startsWith(":")) {
            throw new HistoryParseException(line, ":" + name + " should be a keyword, got " + value);
        }
        return value.substring(1);
    }

    private static String required(Map<String, String> event, String name, int line) throws HistoryParseException {
        String value = event.get(name);
        if (value == null) {
            throw new HistoryParseException(line, "missing :" + name);
        }
        return value;
    }
}
