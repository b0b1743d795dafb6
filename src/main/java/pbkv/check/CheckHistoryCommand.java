package pbkv.check;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Command line: {@code check-history [--format F] [--timeout SECONDS] FILE...}; run with
 * {@code --help} for the details. Exit codes follow diff(1): 0 when every file is
 * linearizable, 1 when some file is not, 2 when there was trouble (a file that cannot be read
 * or parsed, a search that ran out of time, a usage error), even if violations were found too.
 */
public final class CheckHistoryCommand {

    static final int LINEARIZABLE = 0;
    static final int NOT_LINEARIZABLE = 1;
    static final int TROUBLE = 2;

    private static final String USAGE = """
            usage: check-history [--format jepsen-etcd|jepsen-kv|pbkv] [--timeout SECONDS] FILE...

            Checks each history FILE for linearizability and prints one line per file:
              FILE linearizable | FILE NOT linearizable (explanation follows, indented)
              | FILE unknown (search budget exhausted) | FILE error: MESSAGE
            Exit status: 0 all linearizable, 1 some file not linearizable, 2 trouble
            (unreadable or unparsable file, undecided search, bad usage).

            --format   history format; guessed from the first line when omitted:
                       jepsen-etcd  Jepsen etcd log lines ("INFO  jepsen.util - 3<TAB>:invoke<TAB>:read<TAB>nil"),
                                    one register, initially nil, with read/write/cas [from to]
                       jepsen-kv    Jepsen EDN lines ({:process 0, :type :ok, :f :get, :key "5", :value ""}),
                                    get/put/append per key, keys start as ""
                       pbkv         pbkv's format (the default when nothing else fits), see below
            --timeout  search budget per file in seconds (default 60)
            -h, --help this text

            pbkv format: one completed operation per line, 10 tab-separated fields:
              client op key arg expectedVersion invokeNanos completeNanos outcome resultValue resultVersion
            op: get|put|delete|cas. arg: value written by put/cas, - otherwise. expectedVersion: If-Match
            version of cas, - otherwise. invokeNanos/completeNanos: System.nanoTime() at request and
            answer (for unknown: when the client gave up). outcome: ok | fail (cas: 412 version
            mismatch or absent; delete: 404 absent; put: rejected; get: error, ignored) | unknown
            (may take effect any time after invoke, or never). resultValue: value read by get, - when
            absent (404) or not a get. resultVersion: version returned by the server, - when none.
            Values have no tabs/newlines; "-" alone means none. Lines starting with # are comments.
            Keys start absent; versions are compared for equality only, and the version written by an
            operation of unknown outcome (or acknowledged without a version) matches any version.
            """;

    private CheckHistoryCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command and returns its exit status instead of exiting. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("check-history: " + e.getMessage());
            err.print(USAGE);
            return TROUBLE;
        }
        if (options.help) {
            out.print(USAGE);
            return LINEARIZABLE;
        }
        int status = LINEARIZABLE;
        for (String file : options.files) {
            status = worse(status, checkFile(file, options, out));
        }
        return status;
    }

    private static int checkFile(String file, Options options, PrintStream out) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
            HistoryFormat format = options.format.orElseGet(() -> HistoryFormat.guess(lines));
            CheckResult result = LinearizabilityChecker.check(format.parse(lines), options.budget);
            return report(file, result, out);
        } catch (IOException | HistoryParseException | RuntimeException e) {
            out.println(file + " error: " + describe(e));
            return TROUBLE;
        }
    }

    private static int report(String file, CheckResult result, PrintStream out) {
        String undecided = "search budget exhausted for key(s) " + String.join(", ", result.undecided());
        switch (result.verdict()) {
            case LINEARIZABLE -> out.println(file + " linearizable");
            case UNKNOWN -> out.println(file + " unknown (" + undecided + ")");
            case NOT_LINEARIZABLE -> {
                out.println(file + " NOT linearizable");
                explain(result.violations(), out);
                if (!result.undecided().isEmpty()) {
                    out.println("    (" + undecided + ")");
                }
            }
        }
        return switch (result.verdict()) {
            case LINEARIZABLE -> LINEARIZABLE;
            case NOT_LINEARIZABLE -> NOT_LINEARIZABLE;
            case UNKNOWN -> TROUBLE;
        };
    }

    /** The first violation in full; for the others only the key, to keep the report short. */
    private static void explain(List<Violation> violations, PrintStream out) {
        violations.get(0).explain().forEach(line -> out.println("    " + line));
        if (violations.size() > 1) {
            out.println("    also not linearizable: " + violations.stream().skip(1)
                    .map(v -> "key " + Operation.show(v.key()) + " (" + v.prefix().size() + " of "
                            + v.operationCount() + " placed)")
                    .collect(Collectors.joining(", ")));
        }
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** diff(1) style: trouble beats a violation, which beats success. */
    private static int worse(int a, int b) {
        return Math.max(a, b);
    }

    /** Parsed command line. */
    private static final class Options {
        Optional<HistoryFormat> format = Optional.empty();
        Duration budget = LinearizabilityChecker.DEFAULT_BUDGET;
        boolean help;
        final List<String> files = new ArrayList<>();

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "-h", "--help" -> o.help = true;
                    case "--format" -> o.format = Optional.of(format(value(args, ++i)));
                    case "--timeout" -> o.budget = Duration.ofMillis((long) (seconds(value(args, ++i)) * 1000));
                    default -> o.files.add(option(args[i]));
                }
            }
            if (o.files.isEmpty() && !o.help) {
                throw new IllegalArgumentException("no history file given");
            }
            return o;
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException(args[i - 1] + " needs a value");
            }
            return args[i];
        }

        private static HistoryFormat format(String name) {
            return HistoryFormat.byName(name).orElseThrow(() -> new IllegalArgumentException("unknown format " + name));
        }

        private static double seconds(String text) {
            try {
                double s = Double.parseDouble(text);
                if (s > 0) {
                    return s;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("--timeout needs a positive number of seconds, got " + text);
        }

        private static String option(String arg) {
            if (arg.startsWith("-") && !arg.equals("-")) {
                throw new IllegalArgumentException("unknown option " + arg);
            }
            return arg;
        }
    }
}
