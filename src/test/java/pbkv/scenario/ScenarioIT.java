package pbkv.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every scenario in its short form on a real cluster. The sync ones lose nothing acknowledged, stay
 * linearizable and drop nothing acknowledged on rejoin; async-loss and two-node-split-brain show
 * the loss they exist to show.
 */
class ScenarioIT {

    @TempDir
    Path out;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    private record Run(Verdicts.Verdict verdict, String report, String console) {
    }

    @Test
    @Timeout(240)
    void basicScenarioLosesNothingAndLeavesReportHistoryAndTimeline() throws Exception {
        Run run = run("basic");
        assertSafe(run);
        assertThat(run.report()).contains("## Environment", "## Events the nodes logged", "## Divergence");
        assertThat(out.resolve("timeline.png")).isNotEmptyFile();
        assertThat(out.resolve("history.tsv")).isNotEmptyFile();
        assertThat(out.resolve("nodes/primary/node.log")).isNotEmptyFile();
        assertThat(run.console()).contains("[1] start primary, backup and witness");
    }

    @Test
    @Timeout(300)
    void primaryFailureScenarioPromotesTheBackupWithoutLosingAcknowledgedWrites() throws Exception {
        Run run = run("primary-failure");
        assertSafe(run);
        assertThat(run.report()).contains("| backup | PRIMARY |");
    }

    @Test
    @Timeout(300)
    void backupFailureScenarioCatchesTheReturningBackupUpWithoutLoss() throws Exception {
        Run run = run("backup-failure");
        assertSafe(run);
        assertThat(run.report()).contains("| backup | BACKUP |");
    }

    @Test
    @Timeout(300)
    void sequentialFailuresNeverPromoteTheStaleBackupAndLoseNothing() throws Exception {
        Run run = run("sequential-failures");
        assertSafe(run);
        assertThat(run.report()).contains("(not promoted: it lacks writes the primary acknowledged)")
                .doesNotContain("a stale node was promoted");
    }

    @Test
    @Timeout(300)
    void partitionFencesTheOldPrimaryWhichStepsDownWhenTheLinksHeal() throws Exception {
        Run run = run("partition");
        assertSafe(run);
        assertThat(run.report()).contains("the new primary is at epoch", "| primary | BACKUP |");
    }

    @Test
    @Timeout(300)
    void slowBackupStaysInSyncAndASilentOneIsDroppedThenRejoinsWithoutLoss() throws Exception {
        Run run = run("slow-backup");
        assertSafe(run);
        assertThat(run.report()).contains("the backup stayed in the primary's in-sync set throughout the slow link: yes",
                "the primary's in-sync set is now [primary]");
    }

    @Test
    @Timeout(300)
    void asyncLossLosesAcknowledgedWritesAndTheOldPrimaryDropsThemOnRejoin() throws Exception {
        Run run = run("async-loss");
        assertThat(run.verdict().lost()).isNotEmpty();
        assertDroppedOnRejoin(run, true);
    }

    @Test
    @Timeout(300)
    void twoNodeSplitBrainAcknowledgesOnBothSidesAndLosesOneSidesWrites() throws Exception {
        Run run = run("two-node-split-brain");
        assertThat(run.report()).contains("primary acknowledged 3 of 3 writes to its own keys",
                "backup acknowledged 3 of 3 writes to its own keys");
        assertThat(run.verdict().lost().size() > 0 || run.verdict().linearizable().equals("no"))
                .as("the split brain shows in the verdict: %s", run.verdict().lines()).isTrue();
        assertThat(run.verdict().lost()).as("one side's acknowledged writes are gone").isNotEmpty();
        assertDroppedOnRejoin(run, true);
    }

    private Run run(String name) throws Exception {
        Path jar = Path.of(System.getProperty("pbkv.jar", "target/pbkv.jar"));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Verdicts.Verdict verdict;
        try {
            verdict = new ScenarioRunner(jar, new PrintStream(console, true, StandardCharsets.UTF_8))
                    .run(Scenarios.named(name).orElseThrow(), out, 1, true);
        } finally {
            System.out.print(console.toString(StandardCharsets.UTF_8)); // the steps, for the build log
        }
        String report = Files.readString(out.resolve("report.md"));
        assertThat(report).doesNotContain("did not complete").contains(verdict.lines().split("\n"));
        return new Run(verdict, report, console.toString(StandardCharsets.UTF_8));
    }

    private static void assertSafe(Run run) {
        assertThat(run.verdict().lost()).isEmpty();
        assertThat(run.verdict().linearizable()).isEqualTo("yes");
        assertThat(run.report()).contains("acknowledged writes lost: 0", "linearizable: yes");
        assertDroppedOnRejoin(run, false);
    }

    /** The nodes' own count (GET /cluster/divergence) of acknowledged entries they dropped on rejoining. */
    private static void assertDroppedOnRejoin(Run run, boolean some) {
        Long dropped = run.verdict().droppedOnRejoin();
        assertThat(dropped).as("every node serves GET /cluster/divergence: %s", run.verdict().lines()).isNotNull();
        if (some) {
            assertThat(dropped).isPositive();
        } else {
            assertThat(dropped).isZero();
        }
    }
}
