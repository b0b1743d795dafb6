package pbkv.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/**
 * {@code bin/bench}: pbkv's benchmark. Starts throw-away clusters of the packaged jar
 * and drives them with closed-loop JDK HttpClient clients; plain Java plus HdrHistogram, so
 * that the load generator measures pbkv rather than a framework of its own.
 */
public final class Bench {

    static final String USAGE = """
            usage: bin/bench [run] [--clients 1,16,64] [--seconds 10] [--warmup 3] [--value-size 100] [--keys 10000]
                             [--read-ratio 0.0] [--scenarios %s] [--out bench-results]
                             [--jit-warmup 300] [--interleave ROUNDS] [--jfr DIR]
                   bin/bench failover [--trials 10] [--heartbeat 100ms] [--failure-timeout 1s]
                                      [--false-failover-check SECONDS] [--clients 64]
                   bin/bench catchup [--writes 1000000] [--clients 32] [--snapshot-log-retention 10000] [--write-limit 1200]
                                     [--warm-up 20] [--kinds incremental,snapshot]

            run       per scenario: start its cluster, wait until every backup is in sync, preload --keys keys, run
                      at the largest client count until every node's JIT has settled (under 2 %% of 5 s spent compiling,
                      twice in a row; at least 20 s, at most --jit-warmup seconds, 0: none; not measured), then per
                      client count a --warmup and a --seconds measured phase of closed-loop clients (PUTs to the primary;
                      reads-backup: GET ?consistency=local on the backup). One table with the ratio of each scenario to
                      baseline-single at the same client count; also written as JSON and CSV into --out.
                      --interleave ROUNDS keeps baseline-single up beside each other scenario and measures the two in
                      turn, ROUNDS times each (baseline first, then the scenario first, ...): each ratio is then to a
                      baseline measured seconds apart, not minutes, on a machine whose speed drifts. The table pools
                      the rounds and lists the ratio of each round.
                      --jfr DIR records every node with Java Flight Recorder during each measured phase.
            failover  per trial: primary + backup + witness, one writer, kill -9 of the primary, PUTs to the backup every
                      5 ms until one is acknowledged; prints each trial and the median. --false-failover-check runs
                      --clients writers for that many seconds with the same timings and fails if the epoch changes.
            catchup   time for a backup that missed --writes writes to rejoin the in-sync set, incrementally (paused with
                      SIGSTOP, log retention above --writes) and by snapshot (killed before the writes, restarted, log
                      retention below --writes so that only a snapshot can catch it up); RSS of the nodes holding them.
                      Before the fault, --warm-up seconds of replicated writes (a cluster in service, not cold code).

            common:   --jar PATH            node jar (default: target/pbkv.jar, as set by bin/bench)
                      --node-gc-opts S      collector and heap flags of every node (default "%s")
                      --node-java-opts S    extra JVM flags for every node; {id} becomes the node id, e.g.
                                            "-XX:StartFlightRecording=duration=30s,filename=/tmp/pbkv-{id}.jfr"
                      --node-props S        extra node properties, space-separated, e.g.
                                            "logging.level.pbkv=INFO replication.timeout=2s" (not those the bench
                                            sets itself: mode, timings, log retention have their own flags)
                      --http-clients N      JDK HttpClient instances shared by the load threads (default 1; 0: one per thread)
                      --keep                keep node directories and logs (printed at the end)
            Nodes run as: java GC-OPTS JAVA-OPTS -jar JAR, each in a fresh directory, logging at WARN.
            """.formatted(BenchScenario.labels(), String.join(" ", NodeSettings.DEFAULT_GC_FLAGS));

    /** A subcommand, its flags already read. */
    @FunctionalInterface
    private interface Command {
        int run() throws IOException, InterruptedException;
    }

    private Bench() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        BenchArgs parsed;
        try {
            parsed = BenchArgs.parse(args);
            if (parsed.flag("help") || parsed.command().equals("help")) {
                out.print(USAGE);
                return 0;
            }
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.print(USAGE);
            return 2;
        }
        BenchContext context = null;
        try {
            context = new BenchContext(parsed);
            Command command = switch (parsed.command()) {
                case "run" -> new RunCommand(parsed, context, out)::run;
                case "failover" -> new FailoverCommand(parsed, context, out)::run;
                case "catchup" -> new CatchupCommand(parsed, context, out)::run;
                default -> throw new IllegalArgumentException("unknown command '" + parsed.command() + "' (run, failover, catchup)");
            };
            parsed.rejectUnknown();
            String busy = Machine.busyWarning();
            if (busy != null) {
                out.println(busy);
            }
            return command.run();
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.print(USAGE);
            return 2;
        } catch (IOException | UncheckedIOException e) {
            System.err.println("bench: " + e.getMessage());
            if (context != null) {
                context.keepForDiagnosis();
            }
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("bench: interrupted");
            return 1;
        } finally {
            if (context != null) {
                context.cleanUp();
            }
        }
    }
}
