package pbkv.check;

import java.util.ArrayList;
import java.util.List;

/**
 * Why one key's operations are not linearizable, told through the longest linearizable prefix
 * the search found: after {@code prefix} (in linearization order) the key is in
 * {@code stateAfterPrefix}, and none of {@code unplaceable} (the operations that could go next)
 * can take effect there. {@code overdue} is the one among them that had already returned, so
 * nothing invoked later may be placed before it.
 *
 * @param key              the key
 * @param operationCount   how many operations on the key the search had to order
 * @param prefix           the longest linearizable prefix found
 * @param stateAfterPrefix description of the state after that prefix
 * @param unplaceable      the operations that could not be placed next
 * @param overdue          the operation that had to be placed next
 */
public record Violation(String key, int operationCount, List<Operation> prefix, String stateAfterPrefix,
        List<Operation> unplaceable, Operation overdue) {

    /** How many of the last prefix operations {@link #explain()} shows. */
    static final int PREFIX_SHOWN = 8;

    public Violation {
        prefix = List.copyOf(prefix);
        unplaceable = List.copyOf(unplaceable);
    }

    /** Human-readable lines, without indentation. */
    public List<String> explain() {
        List<String> lines = new ArrayList<>();
        lines.add("key " + Operation.show(key) + ": only " + prefix.size() + " of " + operationCount
                + " operations could be linearized; then " + stateAfterPrefix);
        int from = Math.max(0, prefix.size() - PREFIX_SHOWN);
        if (!prefix.isEmpty()) {
            lines.add((from > 0 ? "last " + (prefix.size() - from) + " operations" : "operations")
                    + " of the longest linearizable prefix:");
        }
        prefix.subList(from, prefix.size()).forEach(op -> lines.add("  " + op.describe()));
        lines.add("none of these could take effect next:");
        for (Operation op : unplaceable) {
            lines.add("  " + op.describe() + (op == overdue ? "   <- already returned, must go next" : ""));
        }
        return lines;
    }
}
