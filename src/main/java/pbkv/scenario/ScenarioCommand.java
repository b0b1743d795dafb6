package pbkv.scenario;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * {@code bin/scenario}: {@code list}, and {@code run NAME [--out DIR] [--seed N] [--short]}.
 * Exit status 0 when the scenario ran to its verdict, 1 when it could not, 2 on bad usage.
 */
public final class ScenarioCommand {

    private static final String USAGE = """
            usage: bin/scenario list
                   bin/scenario run NAME [--out DIR] [--seed N] [--short]

            Runs a failure scenario on a fresh local cluster (primary, backup, witness on free
            loopback ports) and leaves report.md, history.tsv, timeline.png and the node logs in
            --out (default run/scenarios/NAME-<time>/). --seed replays the client's keys, values and
            pauses (default: the clock); --short halves the waits (for tests).
            """;

    private ScenarioCommand() {
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream console, PrintStream err) {
        if (args.length == 1 && args[0].equals("list")) {
            Scenarios.ALL.forEach(s -> console.printf("%-20s %s%n", s.name(), s.demonstrates()));
            return 0;
        }
        if (args.length < 2 || !args[0].equals("run")) {
            err.print(USAGE);
            return 2;
        }
        Scenario scenario = Scenarios.named(args[1]).orElse(null);
        if (scenario == null) {
            err.println("no scenario " + args[1] + "; bin/scenario list shows them");
            return 2;
        }
        Path out = null;
        long seed = System.currentTimeMillis();
        boolean quick = false;
        try {
            for (int i = 2; i < args.length; i++) {
                switch (args[i]) {
                    case "--out" -> out = Path.of(args[++i]);
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "--short" -> quick = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
            err.println(e instanceof ArrayIndexOutOfBoundsException ? "an option lacks its value" : e.getMessage());
            err.print(USAGE);
            return 2;
        }
        if (out == null) {
            String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            out = Path.of(System.getProperty("pbkv.scenario.out", "run/scenarios")).resolve(scenario.name() + "-" + time);
        }
        String jar = System.getProperty("pbkv.jar");
        if (jar == null) {
            err.println("-Dpbkv.jar=PATH is required (bin/scenario sets it)");
            return 2;
        }
        try {
            new ScenarioRunner(Path.of(jar), console).run(scenario, out, seed, quick);
            return 0;
        } catch (Exception e) {
            err.println("scenario " + scenario.name() + " failed: " + e.getMessage());
            return 1;
        }
    }
}
