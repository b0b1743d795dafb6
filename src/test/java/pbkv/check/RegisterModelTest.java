package pbkv.check;

import static org.assertj.core.api.Assertions.assertThat;
import static pbkv.check.Histories.check;
import static pbkv.check.Histories.etcd;

import org.junit.jupiter.api.Test;

class RegisterModelTest {

    @Test
    void readOfNeverWrittenRegisterReturnsNil() {
        assertThat(check(etcd("0 invoke read nil", "0 ok read nil")).verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void readAfterCompletedWriteMustSeeIt() {
        CheckResult result = check(etcd(
                "0 invoke write 1", "0 ok write 1",
                "1 invoke read nil", "1 ok read nil"));
        assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void readConcurrentWithWriteMaySeeOldOrNewValue() {
        for (String seen : new String[] {"nil", "1"}) {
            CheckResult result = check(etcd(
                    "0 invoke write 1", "1 invoke read nil", "1 ok read " + seen, "0 ok write 1"));
            assertThat(result.verdict()).as("read %s", seen).isEqualTo(Verdict.LINEARIZABLE);
        }
    }

    @Test
    void successfulCasRequiresExpectedValue() {
        assertThat(check(etcd("0 invoke cas [1 2]", "0 ok cas [1 2]")).verdict())
                .isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(check(etcd("0 invoke write 1", "0 ok write 1", "0 invoke cas [1 2]", "0 ok cas [1 2]",
                "0 invoke read nil", "0 ok read 2")).verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void failedCasMeansValueDifferedAndNothingChanged() {
        assertThat(check(etcd("0 invoke write 1", "0 ok write 1", "0 invoke cas [1 2]", "0 fail cas [1 2]"))
                .verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(check(etcd("0 invoke cas [1 2]", "0 fail cas [1 2]", "0 invoke read nil", "0 ok read nil"))
                .verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void writeWithUnknownOutcomeMayTakeEffectLaterThanItsTimeout() {
        // Process 0 times out; the write still lands after process 1 read nil.
        CheckResult result = check(etcd(
                "0 invoke write 1", "0 info write :timed-out",
                "1 invoke read nil", "1 ok read nil",
                "1 invoke read nil", "1 ok read 1"));
        assertThat(result.verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void writeWithUnknownOutcomeMayNeverTakeEffect() {
        CheckResult result = check(etcd("0 invoke write 1", "0 info write :timed-out", "1 invoke read nil", "1 ok read nil"));
        assertThat(result.verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void writeWithUnknownOutcomeCannotTakeEffectBeforeItsCall() {
        CheckResult result = check(etcd("1 invoke read nil", "1 ok read 1", "0 invoke write 1", "0 info write :timed-out"));
        assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void valueCannotFlipBackWithoutSecondWrite() {
        // Read 1 then nil with one write of 1: the register never goes back to nil.
        CheckResult result = check(etcd(
                "0 invoke write 1", "0 info write :timed-out",
                "1 invoke read nil", "1 ok read 1",
                "1 invoke read nil", "1 ok read nil"));
        assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void unknownCasAppliesOnlyWhenValueMatched() {
        CheckResult result = check(etcd(
                "0 invoke cas [5 6]", "0 info cas :timed-out",
                "1 invoke read nil", "1 ok read 6"));
        assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }
}
