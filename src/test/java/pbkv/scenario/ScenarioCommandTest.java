package pbkv.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** bin/scenario's command line: help, the list, and bad usage answered with a message and exit code 2. */
class ScenarioCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ScenarioCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpDescribesTheSubcommandsAndExitsZero() {
        assertThat(run("--help")).isZero();
        assertThat(out()).contains("Usage: scenario", "list", "run", "Exit codes:");
    }

    @Test
    void runHelpNamesEveryOption() {
        assertThat(run("run", "--help")).isZero();
        assertThat(out()).contains("NAME", "--out=DIR", "--seed=N", "--short");
    }

    @Test
    void listNamesEveryScenario() {
        assertThat(run("list")).isZero();
        Scenarios.ALL.forEach(s -> assertThat(out()).contains(s.name()));
    }

    @Test
    void anUnknownOptionIsBadUsageWithAMessage() {
        assertThat(run("run", "basic", "--fast")).isEqualTo(2);
        assertThat(err()).contains("Unknown option: '--fast'", "Usage:");
    }

    @Test
    void aSeedThatIsNoNumberIsBadUsage() {
        assertThat(run("run", "basic", "--seed", "abc")).isEqualTo(2);
        assertThat(err()).contains("--seed", "abc");
    }

    @Test
    void anOptionWithoutItsValueIsBadUsage() {
        assertThat(run("run", "basic", "--out")).isEqualTo(2);
        assertThat(err()).contains("Missing required parameter for option '--out'");
    }

    @Test
    void anUnknownScenarioIsBadUsageNamingTheList() {
        assertThat(run("run", "no-such")).isEqualTo(2);
        assertThat(err()).contains("no scenario no-such", "bin/scenario list");
    }

    @Test
    void noSubcommandPrintsTheUsageAndIsBadUsage() {
        assertThat(run()).isEqualTo(2);
        assertThat(err()).contains("Usage: scenario");
    }
}
