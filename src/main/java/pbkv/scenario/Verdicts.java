package pbkv.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import pbkv.check.CheckResult;
import pbkv.check.HistoryParseException;
import pbkv.check.LinearizabilityChecker;
import pbkv.check.PbkvHistoryFormat;

/**
 * The verdict over a recorded history. A write acknowledged to a client is lost when the final
 * read of its key (by the "verify" client, after the scenario) returned a value written by a put
 * that had completed before the acknowledged one was even sent, or returned nothing: no order of
 * operations can make the lost write not be the later one. Linearizability is the project's
 * checker's judgement of the whole history, final reads included.
 */
final class Verdicts {

    static final String VERIFY_CLIENT = "verify";
    private static final Duration CHECK_BUDGET = Duration.ofSeconds(60);

    /** {@code droppedOnRejoin}: acknowledged entries the nodes say they dropped, null when no node could say. */
    record Verdict(List<HistoryRecorder.Op> lost, String linearizable, String checkerDetail, Long droppedOnRejoin) {
        String lines() {
            return "acknowledged writes lost: " + lost.size() + "\nlinearizable: " + linearizable
                    + "\nacknowledged writes dropped on rejoin: " + (droppedOnRejoin == null ? "not available" : droppedOnRejoin);
        }
    }

    private Verdicts() {
    }

    static Verdict judge(HistoryRecorder history, Long droppedOnRejoin) {
        String[] answer = linearizable(history);
        return new Verdict(lost(history.ops()), answer[0], answer[1], droppedOnRejoin);
    }

    static List<HistoryRecorder.Op> lost(List<HistoryRecorder.Op> ops) {
        Map<String, List<HistoryRecorder.Op>> putsByKey = ops.stream().filter(HistoryRecorder.Op::write)
                .collect(Collectors.groupingBy(HistoryRecorder.Op::key));
        List<HistoryRecorder.Op> lost = new ArrayList<>();
        for (HistoryRecorder.Op read : ops) {
            if (!read.client().equals(VERIFY_CLIENT) || !read.outcome().equals("ok")) {
                continue;
            }
            List<HistoryRecorder.Op> puts = putsByKey.getOrDefault(read.key(), List.of());
            Optional<HistoryRecorder.Op> source = puts.stream().filter(p -> p.arg().equals(read.value())).findFirst();
            long readFromCompleted = source.map(p -> p.exchange().completeNanos()).orElse(Long.MIN_VALUE);
            puts.stream().filter(p -> p.outcome().equals("ok") && p.exchange().invokeNanos() > readFromCompleted)
                    .forEach(lost::add);
        }
        return lost;
    }

    /** The answer (yes, no, unknown ...) and the checker's explanation of the first violations. */
    private static String[] linearizable(HistoryRecorder history) {
        try {
            CheckResult result = LinearizabilityChecker.check(PbkvHistoryFormat.parse(history.lines()), CHECK_BUDGET);
            String detail = result.violations().stream().limit(3)
                    .map(v -> "key " + v.key() + ": " + v.stateAfterPrefix() + ", yet "
                            + (v.overdue() == null ? v.unplaceable().size() + " operations" : "history.tsv " + v.overdue().describe())
                            + " cannot be placed next")
                    .collect(Collectors.joining("\n"));
            String answer = switch (result.verdict()) {
                case LINEARIZABLE -> "yes";
                case NOT_LINEARIZABLE -> "no";
                case UNKNOWN -> "unknown (the checker's budget ran out)";
            };
            return new String[] {answer, detail};
        } catch (HistoryParseException e) {
            return new String[] {"unknown (the history did not parse)", e.getMessage()};
        }
    }
}
