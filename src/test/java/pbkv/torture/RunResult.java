package pbkv.torture;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import pbkv.check.Verdict;

/**
 * What one torture run found.
 *
 * @param verdict    the linearizability checker's verdict on the whole history (final reads included)
 * @param violations the checker's explanation of each key that is not linearizable
 * @param lostWrites {@link AckedWriteCheck}'s findings
 * @param problems   liveness problems (no failover, no recovery, a node that exited by itself)
 * @param error      what broke the run itself (e.g. the cluster did not start), or null
 */
record RunResult(TortureOptions options, String cluster, List<String> faults, int ok, int fail, int unknown,
                 Verdict verdict, List<String> violations, List<String> lostWrites, List<String> problems,
                 Duration elapsed, Path directory, Exception error) {

    static RunResult broken(TortureOptions options, String cluster, List<String> faults, HistoryRecorder recorder,
                            Duration elapsed, Path directory, Exception error) {
        return new RunResult(options, cluster, faults, recorder.ok(), recorder.fail(), recorder.unknown(),
                Verdict.UNKNOWN, List.of(), List.of(), List.of(), elapsed, directory, error);
    }

    long seed() {
        return options.seed();
    }

    /** Linearizable, nothing acknowledged lost, the cluster recovered from every fault. */
    boolean passed() {
        return error == null && verdict == Verdict.LINEARIZABLE && lostWrites.isEmpty() && problems.isEmpty();
    }

    /** What the unsafe modes must produce: a history no correct store could give, or a lost write. */
    boolean safetyViolated() {
        return verdict == Verdict.NOT_LINEARIZABLE || !lostWrites.isEmpty();
    }

    String verdictText() {
        if (error != null) {
            return "ERROR " + errorLine();
        }
        List<String> parts = new ArrayList<>();
        if (verdict == Verdict.NOT_LINEARIZABLE) {
            parts.add("NOT linearizable (" + violations.size() + " keys)");
        } else if (verdict == Verdict.UNKNOWN) {
            parts.add("UNDECIDED (the checker ran out of time)");
        }
        if (!lostWrites.isEmpty()) {
            parts.add("LOST " + lostWrites.size() + " acknowledged writes");
        }
        if (!problems.isEmpty()) {
            parts.add("STUCK (" + problems.size() + " liveness problems)");
        }
        return parts.isEmpty() ? "PASS (linearizable, no acknowledged write lost)" : String.join(", ", parts);
    }

    /** The one line per run: seed, faults, ops, verdict. */
    String summary() {
        return String.format("seed=%d cluster=%s %.1f s, %d faults, ops ok=%d fail=%d unknown=%d, verdict %s",
                seed(), cluster, elapsed.toMillis() / 1000.0, faults.size(), ok, fail, unknown, verdictText());
    }

    /** The error's first line: the harness puts the cluster's whole state in the message, the logs have it too. */
    private String errorLine() {
        return error.getClass().getSimpleName() + ": " + String.valueOf(error.getMessage()).lines().findFirst().orElse("");
    }

    /** Everything a reader of a failed run needs, one item per line. */
    List<String> details() {
        List<String> lines = new ArrayList<>();
        lines.add("faults: " + (faults.isEmpty() ? "none" : String.join("; ", faults)));
        problems.forEach(p -> lines.add("problem: " + p));
        lostWrites.forEach(l -> lines.add("lost: " + l));
        violations.forEach(v -> lines.add("checker: " + v));
        if (error != null) {
            lines.add("error: " + errorLine());
        }
        if (!passed()) {
            lines.add("kept: " + directory.toAbsolutePath() + " (history.pbkv, it-logs/cluster/*.log)");
            lines.add("check again: bin/check-history --format pbkv " + directory.resolve("history.pbkv"));
            lines.add("replay: " + options.replayCommand());
        }
        return lines;
    }
}
