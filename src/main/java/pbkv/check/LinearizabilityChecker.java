package pbkv.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a history for linearizability, key by key: a history is linearizable exactly when the
 * operations on each key are (linearizability is compositional), and the search cost grows
 * steeply with the number of operations ordered together.
 */
public final class LinearizabilityChecker {

    /** Default search budget per history. */
    public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(60);

    private LinearizabilityChecker() {
    }

    public static CheckResult check(History history) {
        return check(history, DEFAULT_BUDGET);
    }

    /** Checks within {@code budget} (for all keys together); undecided keys make the verdict UNKNOWN. */
    public static CheckResult check(History history, Duration budget) {
        return checkWith(history.model(), history.operations(), Deadline.after(budget));
    }

    private static <S> CheckResult checkWith(Model<S> model, List<Operation> operations, Deadline deadline) {
        List<Violation> violations = new ArrayList<>();
        List<String> undecided = new ArrayList<>();
        for (Map.Entry<String, List<Operation>> key : byKey(model, operations).entrySet()) {
            WglSearch.Result result = WglSearch.run(model, key.getKey(), key.getValue(), deadline);
            switch (result.verdict()) {
                case NOT_LINEARIZABLE -> violations.add(result.violation());
                case UNKNOWN -> undecided.add(key.getKey());
                case LINEARIZABLE -> { }
            }
        }
        Verdict verdict = !violations.isEmpty() ? Verdict.NOT_LINEARIZABLE
                : !undecided.isEmpty() ? Verdict.UNKNOWN : Verdict.LINEARIZABLE;
        return new CheckResult(verdict, violations, undecided);
    }

    /** Groups by key in order of first appearance, dropping operations that cannot matter. */
    private static Map<String, List<Operation>> byKey(Model<?> model, List<Operation> operations) {
        Map<String, List<Operation>> keys = new LinkedHashMap<>();
        for (Operation op : operations) {
            if (!model.isInert(op)) {
                keys.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
            }
        }
        return keys;
    }
}
