package pbkv.sim;

import java.util.List;

/**
 * What one seed came to. {@code violations} is empty when every invariant held and the history
 * is linearizable; {@code recentTrace} holds the last lines of the trace for a failure report.
 */
record SimulationResult(long seed, SimScenario scenario, String config, long traceHash, long traceLines, List<String> violations,
                        String summary, List<String> historyLines, List<String> recentTrace) {

    SimulationResult {
        violations = List.copyOf(violations);
        historyLines = List.copyOf(historyLines);
        recentTrace = List.copyOf(recentTrace);
    }

    boolean passed() {
        return violations.isEmpty();
    }

    /** How to see this seed again, exactly. */
    String replayCommand() {
        return "./mvnw -B test -Dtest=SimulationSweepTest -Dsim.seed=" + seed
                + (scenario == SimScenario.STANDARD ? "" : " -Dsim.scenario=" + scenario.name());
    }

    /** The failure report: what broke, the last events before it, and how to replay. */
    String report() {
        StringBuilder out = new StringBuilder();
        out.append("seed ").append(seed).append(" FAILED (").append(config).append(")\n");
        violations.forEach(v -> out.append("  ").append(v.replace("\n", "\n  ")).append('\n'));
        out.append("  last ").append(recentTrace.size()).append(" trace lines:\n");
        recentTrace.forEach(l -> out.append("    ").append(l).append('\n'));
        out.append("  replay: ").append(replayCommand()).append('\n');
        return out.toString();
    }
}
