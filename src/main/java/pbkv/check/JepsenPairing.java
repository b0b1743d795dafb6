package pbkv.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns Jepsen's separate invoke and completion events into operations, matching them by
 * process. The event's position in the file serves as its time.
 *
 * <p>An {@code :info} completion means the outcome is unknown; Jepsen then retires the process
 * and continues under a new number, but should the same number invoke again while an operation
 * is still open, the open one is closed as unknown too. Invocations never completed by the end
 * of the file are unknown as well.
 */
final class JepsenPairing {

    /** The request half of an operation, waiting for its completion. */
    record Invocation(String process, OpType type, String key, String argument, String expected, int line) {
    }

    private final Map<String, Invocation> open = new LinkedHashMap<>();
    private final List<Operation> operations = new ArrayList<>();

    void invoke(Invocation invocation) {
        Invocation previous = open.put(invocation.process(), invocation);
        if (previous != null) {
            operations.add(operation(previous, Completion.UNKNOWN, null, invocation.line()));
        }
    }

    /**
     * Completes the open operation of {@code process}.
     *
     * @param type        Jepsen's completion type: {@code ok}, {@code fail} or {@code info}
     * @param resultValue the value carried by the completion (what a read returned)
     */
    void complete(String process, String type, OpType opType, String resultValue, int line)
            throws HistoryParseException {
        Invocation invocation = open.remove(process);
        if (invocation == null) {
            throw new HistoryParseException(line, "completion for process " + process + " without an open invocation");
        }
        if (invocation.type() != opType) {
            throw new HistoryParseException(line, "process " + process + " invoked " + invocation.type().label()
                    + " on line " + invocation.line() + " but completed " + opType.label());
        }
        operations.add(operation(invocation, outcome(type, line), resultValue, line));
    }

    /** All operations, the still-open ones as unknown. */
    List<Operation> finish(int lastLine) {
        open.values().forEach(inv -> operations.add(operation(inv, Completion.UNKNOWN, null, lastLine)));
        open.clear();
        return operations;
    }

    private static Completion outcome(String type, int line) throws HistoryParseException {
        return switch (type) {
            case "ok" -> Completion.OK;
            case "fail" -> Completion.FAIL;
            case "info" -> Completion.UNKNOWN;
            default -> throw new HistoryParseException(line, "unknown event type :" + type);
        };
    }

    private static Operation operation(Invocation inv, Completion outcome, String resultValue, int returnLine) {
        String read = inv.type() == OpType.GET && outcome == Completion.OK ? resultValue : null;
        return new Operation(inv.process(), inv.key(), inv.type(), inv.argument(), inv.expected(), outcome,
                read, null, inv.line(), Math.max(returnLine, inv.line()), inv.line());
    }
}
