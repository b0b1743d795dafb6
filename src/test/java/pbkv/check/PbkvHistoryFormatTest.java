package pbkv.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PbkvHistoryFormatTest {

    private static final List<String> LINES = List.of(
            "c1\tput\tk1\thello\t-\t1000\t2000\tok\t-\t7",
            "c2\tcas\tk1\tbye\t7\t1500\t2600\tfail\t-\t-",
            "c1\tget\tk1\t-\t-\t2100\t2300\tok\thello\t7",
            "c3\tget\tk2\t-\t-\t2100\t2300\tok\t-\t-",
            "c3\tdelete\tk1\t-\t-\t2400\t9000\tunknown\t-\t-",
            "c4\tput\tk2\t\t-\t3000\t3100\tok\t-\t8");

    @Test
    void formatWritesBackExactlyTheLinesItParsed() throws HistoryParseException {
        History history = PbkvHistoryFormat.parse(LINES);
        assertThat(history.operations()).map(PbkvHistoryFormat::format).containsExactlyElementsOf(LINES);
    }

    @Test
    void fieldsMapOntoOperation() throws HistoryParseException {
        Operation cas = PbkvHistoryFormat.parseLine(LINES.get(1), 2);
        assertThat(cas).isEqualTo(new Operation("c2", "k1", OpType.CAS, "bye", "7", Completion.FAIL, null, null,
                1500, 2600, 2));
    }

    @Test
    void dashMeansAbsentAndEmptyFieldIsEmptyValue() throws HistoryParseException {
        List<Operation> ops = PbkvHistoryFormat.parse(LINES).operations();
        assertThat(ops.get(3).resultValue()).isNull();
        assertThat(ops.get(5).argument()).isEmpty();
    }

    @Test
    void commentsAndBlankLinesAreSkippedButLineNumbersKept() throws HistoryParseException {
        History history = PbkvHistoryFormat.parse(List.of(PbkvHistoryFormat.HEADER, "", LINES.get(0)));
        assertThat(history.operations()).singleElement().extracting(Operation::line).isEqualTo(3);
    }

    @Test
    void malformedLinesAreRejectedWithTheirLineNumber() {
        assertThatThrownBy(() -> PbkvHistoryFormat.parse(List.of("# x", "c1\tput\tk\tv")))
                .isInstanceOf(HistoryParseException.class).hasMessageStartingWith("line 2: expected 10");
        assertThatThrownBy(() -> PbkvHistoryFormat.parseLine("c1\tcas\tk\tv\t-\t1\t2\tok\t-\t3", 4))
                .hasMessage("line 4: cas needs an expectedVersion");
        assertThatThrownBy(() -> PbkvHistoryFormat.parseLine("c1\tput\tk\tv\t-\t5\t2\tok\t-\t3", 1))
                .hasMessageContaining("before invokeNanos");
        assertThatThrownBy(() -> PbkvHistoryFormat.parseLine("c1\tput\tk\tv\t-\t1\t2\tmaybe\t-\t3", 1))
                .hasMessageContaining("unknown outcome");
        assertThatThrownBy(() -> PbkvHistoryFormat.parseLine("c1\tappend\tk\tv\t-\t1\t2\tok\t-\t3", 1))
                .hasMessageContaining("unknown op");
    }

    @Test
    void valuesThatTheFormatCannotCarryAreRefused() {
        Operation tab = new Operation("c", "k", OpType.PUT, "a\tb", null, Completion.OK, null, null, 0, 1, 0);
        assertThatThrownBy(() -> PbkvHistoryFormat.format(tab)).isInstanceOf(IllegalArgumentException.class);
    }
}
