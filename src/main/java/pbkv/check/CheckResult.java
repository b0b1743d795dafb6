package pbkv.check;

import java.util.List;

/**
 * The outcome of checking a history.
 *
 * @param verdict    NOT_LINEARIZABLE when any key has a violation; else UNKNOWN when the budget
 *                   ran out for some key; else LINEARIZABLE
 * @param violations one per key that is not linearizable
 * @param undecided  keys whose search ran out of budget
 */
public record CheckResult(Verdict verdict, List<Violation> violations, List<String> undecided) {

    public CheckResult {
        violations = List.copyOf(violations);
        undecided = List.copyOf(undecided);
    }

    public boolean linearizable() {
        return verdict == Verdict.LINEARIZABLE;
    }
}
