package pbkv.check;

import static org.assertj.core.api.Assertions.assertThat;
import static pbkv.check.Histories.check;
import static pbkv.check.Histories.pbkv;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {

    @Test
    void emptyHistoryIsLinearizable() {
        assertThat(check(pbkv()).verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void overlappingOperationsMayTakeEffectInEitherOrder() {
        // The get returns before the put does, yet sees its value: fine, they overlap.
        assertThat(check(pbkv("c1 put k a - 0 100 ok - 1", "c2 get k - - 10 20 ok a 1")).verdict())
                .isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void operationsTouchingAtOneInstantCountAsOverlapping() {
        assertThat(check(pbkv("c2 get k - - 0 50 ok a 1", "c1 put k a - 50 100 ok - 1")).verdict())
                .isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void operationCannotTakeEffectBeforeItIsCalled() {
        assertThat(check(pbkv("c2 get k - - 0 40 ok a 1", "c1 put k a - 50 100 ok - 1")).verdict())
                .isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void explanationNamesKeyLongestPrefixAndTheOperationThatCannotBePlaced() {
        CheckResult result = check(pbkv(
                "c1 put k a - 0 10 ok - 1",
                "c1 put k b - 20 30 ok - 2",
                "c2 get k - - 40 50 ok a 1"));
        Violation violation = result.violations().get(0);

        assertThat(violation.key()).isEqualTo("k");
        assertThat(violation.prefix()).extracting(Operation::line).containsExactly(1, 2);
        assertThat(violation.stateAfterPrefix()).isEqualTo("key holds b at version 2");
        assertThat(violation.overdue().line()).isEqualTo(3);
        assertThat(String.join("\n", violation.explain()))
                .contains("key k: only 2 of 3 operations could be linearized; then key holds b at version 2")
                .contains("line 3, client c2: get k => a version 1   <- already returned, must go next");
    }

    @Test
    void explanationListsEveryOperationThatCouldHaveGoneNext() {
        // Two overlapping reads of values nobody wrote: neither can be placed first.
        CheckResult result = check(pbkv("c1 get k - - 0 20 ok x 1", "c2 get k - - 10 30 ok y 1"));
        assertThat(result.violations().get(0).unplaceable()).extracting(Operation::client).containsExactly("c1", "c2");
        assertThat(result.violations().get(0).prefix()).isEmpty();
    }

    @Test
    void explanationOnlyShowsTheEndOfALongPrefix() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            lines.add("c1 put k v" + i + " - " + (10 * i) + " " + (10 * i + 5) + " ok - " + i);
        }
        lines.add("c1 get k - - 500 510 ok nothing -");
        List<String> explanation = check(pbkv(lines.toArray(String[]::new))).violations().get(0).explain();
        assertThat(explanation).contains("last 8 operations of the longest linearizable prefix:");
        assertThat(explanation).noneMatch(line -> line.contains("put k v11 "));
    }

    @Test
    void exhaustedBudgetGivesUnknownInsteadOfHanging() {
        CheckResult result = LinearizabilityChecker.check(manyConcurrentWritesAndImpossibleRead(), Duration.ofNanos(1));
        assertThat(result.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(result.undecided()).containsExactly("k");
    }

    @Test
    void manyConcurrentOperationsAreStillDecidedQuickly() {
        // 2^14 subsets of writes: the (linearized set, state) cache keeps this tractable.
        CheckResult result = LinearizabilityChecker.check(manyConcurrentWritesAndImpossibleRead(), Duration.ofSeconds(10));
        assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    /** Fourteen overlapping puts and a read of a value none of them wrote. */
    private static History manyConcurrentWritesAndImpossibleRead() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            lines.add("c" + i + " put k v" + i + " - " + i + " 1000 ok - " + i);
        }
        lines.add("r get k - - 500 1000 ok nobody-wrote-this -");
        return pbkv(lines.toArray(String[]::new));
    }
}
