package pbkv.check;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Jepsen etcd logs: one register, lines such as
 * <pre>
 * INFO  jepsen.util - 3	:invoke	:cas	[1 4]
 * INFO  jepsen.util - 3	:fail	:cas	[1 4]
 * INFO  jepsen.util - 0	:ok	:read	nil
 * INFO  jepsen.util - 4	:info	:write	:timed-out
 * </pre>
 * Other log lines and events of non-numbered processes ({@code :nemesis}) are skipped. Reads
 * map to {@link OpType#GET}, writes to {@link OpType#PUT}, {@code cas [from to]} to
 * {@link OpType#CAS} with {@code expected = from}; check with {@link RegisterModel}.
 */
final class JepsenEtcdParser {

    /** The single key all operations share. */
    static final String KEY = "register";

    private static final Pattern EVENT = Pattern.compile(
            "^\\S+\\s+jepsen\\.util\\s+-\\s+(\\S+)\\s+:(\\w+)\\s+:([\\w-]+)\\s*(.*?)\\s*$");
    private static final Pattern CAS_ARGS = Pattern.compile("^\\[\\s*(\\S+)\\s+(\\S+)\\s*]$");

    private JepsenEtcdParser() {
    }

    static History parse(List<String> lines) throws HistoryParseException {
        JepsenPairing pairing = new JepsenPairing();
        for (int i = 0; i < lines.size(); i++) {
            Matcher event = EVENT.matcher(lines.get(i));
            if (event.matches() && !event.group(1).startsWith(":")) {
                handle(pairing, event, i + 1);
            }
        }
        return new History(new RegisterModel(), pairing.finish(lines.size()));
    }

    private static void handle(JepsenPairing pairing, Matcher event, int line) throws HistoryParseException {
        String process = event.group(1);
        String type = event.group(2);
        OpType opType = opType(event.group(3), line);
        String value = event.group(4);
        if (!type.equals("invoke")) {
            pairing.complete(process, type, opType, value, line);
        } else if (opType == OpType.CAS) {
            Matcher args = CAS_ARGS.matcher(value);
            if (!args.matches()) {
                throw new HistoryParseException(line, "cas needs [from to], got " + value);
            }
            pairing.invoke(new JepsenPairing.Invocation(process, opType, KEY, args.group(2), args.group(1), line));
        } else {
            String argument = opType == OpType.PUT ? value : null;
            pairing.invoke(new JepsenPairing.Invocation(process, opType, KEY, argument, null, line));
        }
    }

    private static OpType opType(String f, int line) throws HistoryParseException {
        return switch (f) {
            case "read" -> OpType.GET;
            case "write" -> OpType.PUT;
            case "cas" -> OpType.CAS;
            default -> throw new HistoryParseException(line, "unsupported register operation :" + f);
        };
    }
}
