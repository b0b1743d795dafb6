package pbkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import pbkv.check.CheckResult;
import pbkv.check.History;
import pbkv.check.LinearizabilityChecker;
import pbkv.check.OpType;
import pbkv.check.Operation;
import pbkv.check.Completion;
import pbkv.check.PbkvHistoryFormat;
import pbkv.torture.AckedWriteCheck;
import pbkv.torture.HistoryRecorder;

/**
 * What one restart order's run of {@link WholeClusterCrashIT} recorded: the history, every key an
 * operation was sent for, the last read of each key, the figures it prints, and the check at the end.
 */
final class CrashRun {

    final List<String> order;
    final HistoryRecorder recorder = new HistoryRecorder();
    final TreeSet<String> keys = new TreeSet<>();
    final List<String> toPrimary = new ArrayList<>();
    private final long started = System.nanoTime();
    int acknowledgedWrites;
    Map<String, Operation> lastReads = Map.of();

    CrashRun(List<String> order) {
        this.order = order;
    }

    /**
     * Runs the scenario; whatever happens, prints the figures and writes the history (the node logs
     * are beside it); then checks the history.
     */
    void recordAndCheck(Path history, Callable<?> scenario) throws Exception {
        String failure = null;
        try {
            scenario.call();
        } catch (Exception | AssertionError e) {
            failure = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw e;
        } finally {
            System.out.println(figures(failure));
            recorder.write(history, List.of("restart order " + order));
        }
        assertLinearizableAndNoAcknowledgedWriteLost(history);
    }

    /** One line: acknowledged writes, indeterminate ones (only writes can be), time to a primary. */
    private String figures(String failure) {
        return String.format("whole-cluster-crash order=%s acknowledged-writes=%d indeterminate=%d"
                        + " primary-after-last-start=%s elapsed=%.0f s%s", String.join(",", order), acknowledgedWrites,
                recorder.unknown(), toPrimary, (System.nanoTime() - started) / 1e9,
                failure == null ? "" : " FAILED: " + failure);
    }

    /** The checker over the whole history, and every acknowledged write accounted for in the last reads. */
    private void assertLinearizableAndNoAcknowledgedWriteLost(Path file) throws Exception {
        History history = PbkvHistoryFormat.parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        CheckResult checked = LinearizabilityChecker.check(history);
        assertThat(checked.linearizable()).as("%s: %s in %s", checked.verdict(), checked.violations().stream()
                .map(v -> String.join("\n    ", v.explain())).toList(), file).isTrue();
        assertThat(AckedWriteCheck.lostWrites(history.operations(), lastReads)).as("lost writes, %s", file).isEmpty();
        // A key of its own is written once: its last read must show the version the put was acknowledged with.
        List<String> wrongVersion = history.operations().stream()
                .filter(op -> op.type() == OpType.PUT && op.outcome() == Completion.OK && !WriteBurst.isShared(op.key()))
                .filter(op -> !Objects.equals(op.resultVersion(), lastReads.get(op.key()).resultVersion()))
                .map(op -> op.describe() + " read back as " + lastReads.get(op.key()).describe()).toList();
        assertThat(wrongVersion).as("acknowledged versions not read back, %s", file).isEmpty();
    }
}
