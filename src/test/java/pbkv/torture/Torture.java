package pbkv.torture;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/torture}: randomised fault runs against real node processes. Each run starts a fresh
 * cluster, runs the workload under a nemesis, heals, reads every key, and checks the history for
 * linearizability and for lost acknowledged writes. Prints one line per run and then exactly
 * {@code N passed, M failed}; exits 0 only when every run passed (2 on bad arguments).
 */
public final class Torture {

    private Torture() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.print(TortureOptions.USAGE);
            return 0;
        }
        TortureOptions options;
        try {
            options = TortureOptions.parse(args);
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            out.print(TortureOptions.USAGE);
            return 2;
        }
        List<RunResult> results = runAll(options, out);
        long passed = results.stream().filter(RunResult::passed).count();
        out.println(passed + " passed, " + (results.size() - passed) + " failed");
        return passed == results.size() ? 0 : 1;
    }

    /** The runs, stopping at the first failure unless {@code --keep-going}. */
    static List<RunResult> runAll(TortureOptions options, PrintStream out) throws Exception {
        List<RunResult> results = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < options.runs(); i++) {
            TortureOptions run = options.forRun(i);
            out.printf("run %d/%d seed=%d (%d s, %d clients, %d keys)%n", i + 1, options.runs(), run.seed(),
                    run.seconds(), run.clients(), run.keys());
            RunResult result = new TortureRun(run, out).call();
            results.add(result);
            out.printf("run %d/%d %s%n", i + 1, options.runs(), result.summary());
            if (!result.passed()) {
                result.details().forEach(line -> out.println("  " + line));
                if (!options.keepGoing()) {
                    break;
                }
            }
            out.flush();
        }
        int ok = results.stream().mapToInt(RunResult::ok).sum();
        int fail = results.stream().mapToInt(RunResult::fail).sum();
        int unknown = results.stream().mapToInt(RunResult::unknown).sum();
        int faults = results.stream().mapToInt(r -> r.faults().size()).sum();
        out.printf("total: %d runs, %d faults, ops ok=%d fail=%d unknown=%d, %.0f s%n", results.size(), faults, ok, fail,
                unknown, (System.nanoTime() - started) / 1e9);
        return results;
    }
}
