package pbkv.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static pbkv.check.Histories.etcdLine;

import java.util.List;
import org.junit.jupiter.api.Test;

class JepsenParsersTest {

    @Test
    void etcdEventsPairUpByProcess() throws HistoryParseException {
        List<Operation> ops = JepsenEtcdParser.parse(List.of(
                etcdLine("1 invoke cas [1 4]"), etcdLine("2 invoke read nil"),
                etcdLine("2 ok read 3"), etcdLine("1 fail cas [1 4]"))).operations();
        assertThat(ops).containsExactly(
                new Operation("2", "register", OpType.GET, null, null, Completion.OK, "3", null, 2, 3, 2),
                new Operation("1", "register", OpType.CAS, "4", "1", Completion.FAIL, null, null, 1, 4, 1));
    }

    @Test
    void etcdNoiseAndNemesisLinesAreSkipped() throws HistoryParseException {
        List<Operation> ops = JepsenEtcdParser.parse(List.of(
                "INFO  jepsen.core - Worker 0 starting",
                "INFO  jepsen.util - :nemesis\t:info\t:start\tnil",
                etcdLine("0 invoke write 2"), etcdLine("0 ok write 2"))).operations();
        assertThat(ops).singleElement().extracting(Operation::type).isEqualTo(OpType.PUT);
    }

    @Test
    void etcdInfoAndMissingCompletionMeanUnknownOutcome() throws HistoryParseException {
        List<Operation> ops = JepsenEtcdParser.parse(List.of(
                etcdLine("0 invoke write 2"), etcdLine("0 info write :timed-out"), etcdLine("5 invoke write 3")))
                .operations();
        assertThat(ops).extracting(Operation::outcome).containsExactly(Completion.UNKNOWN, Completion.UNKNOWN);
    }

    @Test
    void etcdProcessInvokingAgainWhileOpenLeavesEarlierOperationUnknown() throws HistoryParseException {
        List<Operation> ops = JepsenEtcdParser.parse(List.of(
                etcdLine("0 invoke write 2"), etcdLine("0 invoke write 3"), etcdLine("0 ok write 3"))).operations();
        assertThat(ops).extracting(Operation::argument, Operation::outcome)
                .containsExactlyInAnyOrder(tuple("2", Completion.UNKNOWN),
                        tuple("3", Completion.OK));
    }

    @Test
    void etcdCompletionWithoutInvocationIsAnError() {
        assertThatThrownBy(() -> JepsenEtcdParser.parse(List.of(etcdLine("0 ok read 1"))))
                .hasMessageContaining("line 1: completion for process 0 without an open invocation");
    }

    @Test
    void kvEdnLinesBecomeOperationsOnTheirKeys() throws HistoryParseException {
        History history = JepsenKvParser.parse(List.of(
                "{:process 0, :type :invoke, :f :append, :key \"0\", :value \"x 0 0 y\"}",
                "{:process 1, :type :invoke, :f :get, :key \"5\", :value nil}",
                "{:process 1, :type :ok, :f :get, :key \"5\", :value \"\"}",
                "{:process 0, :type :ok, :f :append, :key \"0\", :value \"x 0 0 y\"}"));
        assertThat(history.operations()).extracting(Operation::key, Operation::type, Operation::argument, Operation::resultValue)
                .containsExactly(tuple("5", OpType.GET, null, ""),
                        tuple("0", OpType.APPEND, "x 0 0 y", null));
        assertThat(LinearizabilityChecker.check(history).verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void ednStringsAreUnescaped() {
        assertThat(EdnMap.parse("{:value \"a \\\"b\\\" c\", :key 3, :v [1 2]}"))
                .containsEntry("value", "a \"b\" c").containsEntry("key", "3").containsEntry("v", "[1 2]");
    }

    @Test
    void kvLineThatIsNotAMapIsAnError() {
        assertThatThrownBy(() -> JepsenKvParser.parse(List.of("{:process 0, :type")))
                .isInstanceOf(HistoryParseException.class).hasMessageStartingWith("line 1: not an EDN map");
    }

    @Test
    void formatIsGuessedFromFirstMeaningfulLine() {
        assertThat(HistoryFormat.guess(List.of(etcdLine("0 invoke read nil")))).isEqualTo(HistoryFormat.JEPSEN_ETCD);
        assertThat(HistoryFormat.guess(List.of("", "{:process 0}"))).isEqualTo(HistoryFormat.JEPSEN_KV);
        assertThat(HistoryFormat.guess(List.of("# {not kv}", "c1\tget"))).isEqualTo(HistoryFormat.PBKV);
    }
}
