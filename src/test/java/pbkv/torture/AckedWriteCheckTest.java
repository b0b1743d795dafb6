package pbkv.torture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pbkv.check.OpType;
import pbkv.check.Operation;
import pbkv.check.Completion;

class AckedWriteCheckTest {

    @Test
    void theLastAcknowledgedWriteMustBeTheFinalValue() {
        Operation a = put("a", Completion.OK, 0, 10);
        Operation b = put("b", Completion.OK, 20, 30);
        Operation finalRead = read("a", 100);
        List<String> lost = AckedWriteCheck.lostWrites(List.of(a, b, finalRead), Map.of("k", finalRead));
        assertThat(lost).singleElement().asString().contains("put k b").contains("lost");
        assertThat(AckedWriteCheck.lostWrites(List.of(a, b, read("b", 100)), Map.of("k", read("b", 100)))).isEmpty();
    }

    @Test
    void aConcurrentOrUnknownWriteMayExplainTheFinalValue() {
        Operation a = put("a", Completion.OK, 0, 50);
        Operation b = put("b", Completion.OK, 20, 30); // concurrent with a: a may have come last
        assertThat(AckedWriteCheck.lostWrites(List.of(a, b), Map.of("k", read("a", 100)))).isEmpty();
        Operation c = put("c", Completion.UNKNOWN, 60, 70); // may have been applied after b
        assertThat(AckedWriteCheck.lostWrites(List.of(b, c), Map.of("k", read("c", 100)))).isEmpty();
    }

    @Test
    void anAcknowledgedDeleteMeansTheKeyIsAbsentUnlessWrittenAgain() {
        Operation a = put("a", Completion.OK, 0, 10);
        Operation delete = new Operation("c2", "k", OpType.DELETE, null, null, Completion.OK, null, null, 20, 30, 0);
        assertThat(AckedWriteCheck.lostWrites(List.of(a, delete), Map.of("k", read(null, 100)))).isEmpty();
        assertThat(AckedWriteCheck.lostWrites(List.of(a, delete), Map.of("k", read("a", 100)))).hasSize(1);
    }

    @Test
    void aFinalValueNobodyWroteIsReported() {
        assertThat(AckedWriteCheck.lostWrites(List.of(), Map.of("k", read("ghost", 100))))
                .singleElement().asString().contains("no client wrote");
    }

    private static Operation put(String value, Completion outcome, long invoked, long completed) {
        return new Operation("c1", "k", OpType.PUT, value, null, outcome, null, outcome == Completion.OK ? "1" : null,
                invoked, completed, 0);
    }

    private static Operation read(String value, long at) {
        return new Operation(TortureRun.FINAL_CLIENT, "k", OpType.GET, null, null, Completion.OK, value, null, at, at + 1, 0);
    }
}
