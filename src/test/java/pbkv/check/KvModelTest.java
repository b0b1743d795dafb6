package pbkv.check;

import static org.assertj.core.api.Assertions.assertThat;
import static pbkv.check.Histories.check;
import static pbkv.check.Histories.pbkv;

import org.junit.jupiter.api.Test;

/** KV semantics, written as pbkv histories: client op key arg expected invoke complete outcome value version. */
class KvModelTest {

    private static Verdict verdict(String... lines) {
        return check(pbkv(lines)).verdict();
    }

    @Test
    void keyStartsAbsent() {
        assertThat(verdict("c1 get k - - 0 10 ok - -")).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(verdict("c1 get k - - 0 10 ok x -")).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void getSeesLastPutWithItsVersion() {
        assertThat(verdict("c1 put k a - 0 10 ok - 1", "c1 get k - - 20 30 ok a 1")).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(verdict("c1 put k a - 0 10 ok - 1", "c1 get k - - 20 30 ok a 2")).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void versionsSetApartEqualValues() {
        // Two puts of the same value: the get reports the older version after the newer put.
        assertThat(verdict(
                "c1 put k a - 0 10 ok - 1",
                "c1 put k a - 20 30 ok - 2",
                "c2 get k - - 40 50 ok a 1")).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void deleteMakesKeyAbsentAndFailedDeleteMeansItWas() {
        assertThat(verdict("c1 put k a - 0 10 ok - 1", "c1 delete k - - 20 30 ok - -", "c1 get k - - 40 50 ok - -"))
                .isEqualTo(Verdict.LINEARIZABLE);
        assertThat(verdict("c1 put k a - 0 10 ok - 1", "c1 delete k - - 20 30 fail - -"))
                .isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(verdict("c1 delete k - - 20 30 fail - -")).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void casSucceedsOnlyAtExpectedVersion() {
        assertThat(verdict("c1 put k a - 0 10 ok - 1", "c1 cas k b 1 20 30 ok - 2", "c1 get k - - 40 50 ok b 2"))
                .isEqualTo(Verdict.LINEARIZABLE);
        assertThat(verdict("c1 put k a - 0 10 ok - 1", "c1 cas k b 7 20 30 ok - 2")).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(verdict("c1 cas k b 1 20 30 ok - 2")).as("cas on absent key").isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void failedCasMeansVersionDifferedOrKeyAbsent() {
        assertThat(verdict("c1 cas k b 1 0 10 fail - -")).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(verdict("c1 put k a - 0 10 ok - 1", "c1 cas k b 1 20 30 fail - -")).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(verdict("c1 put k a - 0 10 ok - 1", "c1 cas k b 2 20 30 fail - -")).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void concurrentCasesAtSameVersionCannotBothSucceed() {
        assertThat(verdict(
                "c0 put k a - 0 10 ok - 1",
                "c1 cas k b 1 20 50 ok - 2",
                "c2 cas k c 1 25 45 ok - 3")).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void unknownPutMayLandLateAndItsVersionIsLearnedFromReads() {
        // c1's put times out; its version 5 shows up later. After that, a read of version 9
        // without another write is a violation.
        String put = "c1 put k a - 0 10 unknown - -";
        assertThat(verdict(put, "c2 get k - - 20 30 ok - -", "c2 get k - - 40 50 ok a 5")).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(verdict(put, "c2 get k - - 40 50 ok a 5", "c2 get k - - 60 70 ok a 9")).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void casAfterUnknownPutMayExpectWhateverVersionItGot() {
        assertThat(verdict("c1 put k a - 0 10 unknown - -", "c2 cas k b 5 20 30 ok - 6", "c2 get k - - 40 50 ok b 6"))
                .isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void unknownDeleteMayOrMayNotHaveHappened() {
        String[] prefix = {"c1 put k a - 0 10 ok - 1", "c1 delete k - - 20 30 unknown - -"};
        assertThat(verdict(prefix[0], prefix[1], "c2 get k - - 40 50 ok a 1")).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(verdict(prefix[0], prefix[1], "c2 get k - - 40 50 ok - -")).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(verdict(prefix[0], prefix[1], "c2 get k - - 40 50 ok - -", "c2 get k - - 60 70 ok a 1"))
                .isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void failedPutAndFailedGetChangeAndTellNothing() {
        assertThat(verdict("c1 put k a - 0 10 fail - -", "c1 get k - - 20 30 fail - -", "c1 get k - - 40 50 ok - -"))
                .isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void keysAreCheckedIndependently() {
        CheckResult result = check(pbkv(
                "c1 put a x - 0 10 ok - 1",
                "c1 put b y - 20 30 ok - 1",
                "c2 get a - - 40 50 ok x 1",
                "c2 get b - - 40 50 ok - -"));
        assertThat(result.violations()).extracting(Violation::key).containsExactly("b");
    }

    @Test
    void appendConcatenatesToEmptyStartingValue() {
        KvModel model = KvModel.startingEmpty();
        Operation append = new Operation("p", "k", OpType.APPEND, "x", null, Completion.OK, null, null, 0, 1, 0);
        assertThat(model.step(model.step(model.initialState(), append), append).value()).isEqualTo("xx");
    }
}
