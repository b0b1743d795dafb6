package pbkv.sim;

import java.util.Map;
import java.util.TreeMap;

/**
 * Seeds of the standard sweep that fail because of a core bug not fixed yet in src/main. The
 * sweep still runs them and prints them, but does not fail on them as long as they fail the way
 * the bug explains ({@link Bug#symptom}); a different failure on such a seed fails the sweep.
 * Add a seed here together with an {@code @Disabled("core bug: ...")} test that replays it;
 * remove both with the fix.
 *
 * <p>Empty while no core bug is known. A fixed bug's scripted trace stays as a test of its own
 * (as {@link PreVoteRegressionTest} does for a late pre-vote grant counted as a binding vote).
 */
final class KnownCoreBugs {

    /** A known bug: what it is, and the text its violation contains. */
    record Bug(String description, String symptom) {
    }

    private static final Map<Long, Bug> SEEDS = new TreeMap<>();

    private KnownCoreBugs() {
    }

    static Map<Long, Bug> seeds() {
        return SEEDS;
    }

    /** Whether {@code r} failed, but only as the known bug of its seed explains. */
    static boolean explains(SimulationResult r) {
        Bug bug = SEEDS.get(r.seed());
        return r.scenario() == SimScenario.STANDARD && bug != null && !r.passed()
                && r.violations().stream().allMatch(v -> v.contains(bug.symptom()));
    }
}
