package pbkv.scenario;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bin/scenario}: {@code list}, and {@code run NAME [--out DIR] [--seed N] [--short]}.
 * Exit status 0 when the scenario ran to its verdict, 1 when it could not, 2 on bad usage.
 */
@Command(name = "scenario", mixinStandardHelpOptions = true, version = "pbkv scenario 0.1",
        exitCodeOnInvalidInput = ScenarioCommand.USAGE, exitCodeOnExecutionException = ScenarioCommand.FAILED,
        description = "Runs a failure scenario on a fresh local cluster (separate JVMs on free loopback ports, each"
                + " peer reached through a link proxy) and leaves report.md, history.tsv, timeline.png and the node"
                + " logs in a directory (docs/experiments.md).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the scenario ran to its verdict", "1:it could not (see the message and report.md)", "2:bad usage"})
public final class ScenarioCommand implements Callable<Integer> {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private final PrintStream console;

    @Spec
    CommandLine.Model.CommandSpec spec;

    ScenarioCommand(PrintStream console) {
        this.console = console;
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream console, PrintStream err) {
        CommandLine cli = new CommandLine(new ScenarioCommand(console));
        cli.setOut(new PrintWriter(console, true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the scenarios and what each demonstrates.")
    int list() {
        Scenarios.ALL.forEach(s -> console.printf("%-20s %s%n", s.name(), s.demonstrates()));
        return OK;
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run one scenario to its verdict.")
    int run(@Parameters(paramLabel = "NAME", description = "a scenario, as bin/scenario list names it") String name,
            @Option(names = "--out", paramLabel = "DIR",
                    description = "where the run's files go (default: run/scenarios/NAME-<time>/)") Path out,
            @Option(names = "--seed", paramLabel = "N",
                    description = "replays the client's keys, values and pauses (default: the clock)") Long seed,
            @Option(names = "--short", description = "halves the waits (for tests)") boolean quick) {
        PrintWriter err = spec.commandLine().getErr();
        Scenario scenario = Scenarios.named(name).orElse(null);
        if (scenario == null) {
            err.println("scenario: no scenario " + name + "; bin/scenario list shows them");
            return USAGE;
        }
        String jar = System.getProperty("pbkv.jar");
        if (jar == null) {
            err.println("scenario: -Dpbkv.jar=PATH is required (bin/scenario sets it)");
            return USAGE;
        }
        Path dir = out != null ? out : defaultOut(scenario);
        try {
            new ScenarioRunner(Path.of(jar), console).run(scenario, dir, seed != null ? seed : System.currentTimeMillis(), quick);
            return OK;
        } catch (Exception e) {
            err.println("scenario " + scenario.name() + " failed: " + e.getMessage());
            return FAILED;
        }
    }

    private static Path defaultOut(Scenario scenario) {
        String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Path.of(System.getProperty("pbkv.scenario.out", "run/scenarios")).resolve(scenario.name() + "-" + time);
    }
}
