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

/** The sync scenarios, in their short form, on a real cluster: nothing acknowledged is lost, and the history is linearizable. */
class ScenarioIT {

    @TempDir
    Path out;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    @Timeout(240)
    void basicScenarioLosesNothingAndLeavesReportHistoryAndTimeline() throws Exception {
        assertVerdictAndFiles("basic");
    }

    @Test
    @Timeout(300)
    void primaryFailureScenarioPromotesTheBackupWithoutLosingAcknowledgedWrites() throws Exception {
        String report = assertVerdictAndFiles("primary-failure");
        assertThat(report).contains("| backup | PRIMARY |").doesNotContain("did not complete");
    }

    private String assertVerdictAndFiles(String name) throws Exception {
        Path jar = Path.of(System.getProperty("pbkv.jar", "target/pbkv.jar"));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Verdicts.Verdict verdict = new ScenarioRunner(jar, new PrintStream(console, true, StandardCharsets.UTF_8))
                .run(Scenarios.named(name).orElseThrow(), out, 1, true);

        String report = Files.readString(out.resolve("report.md"));
        assertThat(verdict.lines()).isEqualTo("acknowledged writes lost: 0\nlinearizable: yes");
        assertThat(report).contains("acknowledged writes lost: 0", "linearizable: yes", "## Environment", "## Events the nodes logged");
        assertThat(out.resolve("timeline.png")).isNotEmptyFile();
        assertThat(out.resolve("history.tsv")).isNotEmptyFile();
        assertThat(out.resolve("nodes/primary/node.log")).isNotEmptyFile();
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("[1] start primary, backup and witness");
        return report;
    }
}
