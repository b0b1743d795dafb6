package pbkv.torture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The short version of {@code bin/torture} in {@code ./mvnw verify}: three runs with fixed seeds, each
 * a fresh cluster under five clients and a scripted fault schedule, so that the faults that matter most
 * are covered every time (the long command draws them at random). Every run must pass: linearizable,
 * no acknowledged write lost, the cluster recovered. A failure prints the checker's explanation and
 * keeps the run's history and node logs under {@code target/torture-it/run-<seed>/}.
 */
@Timeout(300)
class TortureIT {

    static final Path OUT = Path.of(System.getProperty("basedir", "."), "target", "torture-it");

    @Test
    void shortRunsUnderFaultsAreLinearizableAndLoseNoAcknowledgedWrite() throws Exception {
        List<RunResult> results = List.of(
                // crash-all restarts three JVMs one after another: the one long fault, in place of kill-backup
                run(1001, 1, List.of(FaultKind.ZOMBIE_PRIMARY, FaultKind.CRASH_ALL, FaultKind.SLOW_REPLICATION)),
                run(1002, 2, List.of(FaultKind.ISOLATE_PRIMARY, FaultKind.PAUSE_SHORT, FaultKind.LOSSY_REPLICATION)),
                run(1003, 1, List.of(FaultKind.CUT_THEN_KILL_PRIMARY, FaultKind.SILENT_PARTITION, FaultKind.CUT_WITNESS)),
                // a power loss restarts a JVM too: a run of its own, so that it displaces no other fault
                run(1004, 1, List.of(FaultKind.POWER_LOSS, FaultKind.KILL_BACKUP)));
        for (RunResult result : results) {
            assertThat(result.passed()).as("%s%n%s", result.summary(), String.join("\n", result.details())).isTrue();
            assertThat(result.faults()).as("faults applied in %s", result.summary()).isNotEmpty();
            assertThat(result.ok()).as("acknowledged ops in %s", result.summary()).isGreaterThan(100);
        }
    }

    private static RunResult run(long seed, int backups, List<FaultKind> faults) throws Exception {
        TortureOptions options = TortureOptions.defaults().with(o -> {
            o.seed = seed;
            o.seconds = 15;
            o.backups = backups;
            o.script = faults;
            o.outputDir = OUT;
        });
        System.out.println("torture run seed=" + seed + ": " + options.replayCommand());
        RunResult result = new TortureRun(options, System.out).call();
        System.out.println(result.summary());
        return result;
    }
}
