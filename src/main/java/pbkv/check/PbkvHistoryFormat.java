package pbkv.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * pbkv's own history format: one completed operation per line, ten tab-separated fields
 * <pre>
 * client  op  key  arg  expectedVersion  invokeNanos  completeNanos  outcome  resultValue  resultVersion
 * </pre>
 * <ul>
 *   <li>{@code client}: any id of the issuing client (one client issues one operation at a time);</li>
 *   <li>{@code op}: {@code get}, {@code put}, {@code delete} or {@code cas};</li>
 *   <li>{@code arg}: the value written by put and cas, {@code -} for get and delete;</li>
 *   <li>{@code expectedVersion}: the If-Match version of a cas, {@code -} otherwise;</li>
 *   <li>{@code invokeNanos}, {@code completeNanos}: {@code System.nanoTime()} when the request was
 *       sent and when the answer arrived (for {@code unknown}: when the client gave up); lines
 *       may come in any order, but all times must come from one clock;</li>
 *   <li>{@code outcome}: {@code ok}; {@code fail} for a definite "did not apply" (cas: 412, the
 *       version differed or the key was absent; delete: 404, the key was absent; put: rejected;
 *       get: an error, which carries no information); {@code unknown} when the client cannot
 *       tell (timeout, connection reset, 5xx): the operation may take effect at any time after
 *       {@code invokeNanos}, or never;</li>
 *   <li>{@code resultValue}: the value a get read, {@code -} when the key was absent (404) and
 *       for other operations;</li>
 *   <li>{@code resultVersion}: the version the server returned for put, cas and get, {@code -}
 *       when none. Versions are opaque: only compared for equality.</li>
 * </ul>
 * Values are URL-safe text without tabs or newlines; {@code -} alone is reserved for "none" and
 * the empty string is a legal value. Blank lines and lines starting with {@code #} are ignored.
 * Example:
 * <pre>
 * c1	put	k1	hello	-	1000	2000	ok	-	7
 * c2	cas	k1	bye	7	1500	2600	fail	-	-
 * c1	get	k1	-	-	2100	2300	ok	hello	7
 * </pre>
 * Check with {@link KvModel#startingAbsent()}.
 */
public final class PbkvHistoryFormat {

    /** Comment line naming the fields, for recorders to write first. */
    public static final String HEADER = "# client\top\tkey\targ\texpectedVersion\tinvokeNanos\tcompleteNanos"
            + "\toutcome\tresultValue\tresultVersion";

    private static final String NONE = "-";
    private static final int FIELDS = 10;

    private PbkvHistoryFormat() {
    }

    /** Reads a whole pbkv history. */
    public static History parse(List<String> lines) throws HistoryParseException {
        List<Operation> operations = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.isBlank() && !line.startsWith("#")) {
                operations.add(parseLine(line, i + 1));
            }
        }
        return new History(KvModel.startingAbsent(), operations);
    }

    /** Reads one operation line; {@code number} is used in error messages and explanations. */
    public static Operation parseLine(String line, int number) throws HistoryParseException {
        String[] f = line.split("\t", -1);
        if (f.length != FIELDS) {
            throw new HistoryParseException(number, "expected " + FIELDS + " tab-separated fields, found " + f.length);
        }
        OpType type = opType(f[1], number);
        String argument = optional(f[3]);
        String expected = optional(f[4]);
        if ((type == OpType.PUT || type == OpType.CAS) && argument == null) {
            throw new HistoryParseException(number, type.label() + " needs an arg");
        }
        if (type == OpType.CAS && expected == null) {
            throw new HistoryParseException(number, "cas needs an expectedVersion");
        }
        long invoked = nanos(f[5], number);
        long completed = nanos(f[6], number);
        if (completed < invoked) {
            throw new HistoryParseException(number, "completeNanos is before invokeNanos");
        }
        return new Operation(f[0], f[2], type, argument, expected, outcome(f[7], number), optional(f[8]),
                optional(f[9]), invoked, completed, number);
    }

    /** Writes one operation as a line (without the line break). */
    public static String format(Operation op) {
        return String.join("\t", op.client(), op.type().label(), op.key(), field(op.argument()),
                field(op.expected()), Long.toString(op.callTime()), Long.toString(op.returnTime()),
                op.outcome().name().toLowerCase(Locale.ROOT), field(op.resultValue()), field(op.resultVersion()));
    }

    private static String field(String value) {
        if (value == null) {
            return NONE;
        }
        if (value.equals(NONE) || value.contains("\t") || value.contains("\n") || value.contains("\r")) {
            throw new IllegalArgumentException("value cannot be written in a pbkv history: " + value);
        }
        return value;
    }

    private static String optional(String field) {
        return field.equals(NONE) ? null : field;
    }

    private static OpType opType(String op, int number) throws HistoryParseException {
        return switch (op) {
            case "get" -> OpType.GET;
            case "put" -> OpType.PUT;
            case "delete" -> OpType.DELETE;
            case "cas" -> OpType.CAS;
            default -> throw new HistoryParseException(number, "unknown op '" + op + "'");
        };
    }

    private static Completion outcome(String outcome, int number) throws HistoryParseException {
        return switch (outcome) {
            case "ok" -> Completion.OK;
            case "fail" -> Completion.FAIL;
            case "unknown" -> Completion.UNKNOWN;
            default -> throw new HistoryParseException(number, "unknown outcome '" + outcome + "'");
        };
    }

    private static long nanos(String field, int number) throws HistoryParseException {
        try {
            return Long.parseLong(field);
        } catch (NumberFormatException e) {
            throw new HistoryParseException(number, "not a nanosecond timestamp: '" + field + "'");
        }
    }
}
