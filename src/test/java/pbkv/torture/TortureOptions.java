package pbkv.torture;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What {@code bin/torture} was asked to do. Run {@code i} uses seed {@code seed + i}, so
 * {@code --runs 1 --seed <that seed>} replays one run's cluster shape and fault schedule (the timing,
 * and so the exact history, differ from one replay to the next).
 *
 * @param script faults to apply in this order instead of random ones (null: random)
 * @param backups number of backups, or -1 to let the seed choose (1, sometimes 2)
 */
record TortureOptions(int runs, int seconds, long seed, boolean keepGoing, boolean keepAll, boolean async,
                      boolean unsafeTwoNode, int clients, int keys, int backups, List<FaultKind> script,
                      Path outputDir) {

    static final String USAGE = """
            usage: bin/torture [--runs N] [--seconds S] [--seed X] [--keep-going] [--keep] [--mode sync|async]
                               [--unsafe-two-node] [--clients N] [--keys N] [--backups N]
                               [--faults a,b,...] [--out DIR]
              --runs N            runs, each a new cluster (default 1)
              --seconds S         workload time per run (default 30)
              --seed X            seed of the first run; run i uses X+i (default: the clock)
              --keep-going        go on after a failed run (default: stop at the first)
              --keep              keep every run's files, passing ones too (default: only failed runs')
              --mode async        replication.mode=async: acknowledged writes may be lost (the suite must say so)
              --unsafe-two-node   primary + backup, no witness, failover.allow-unsafe-two-node=true
              --clients N         concurrent clients (default 5); --keys N: keys k0..k(N-1) (default 5)
              --backups N         backups per cluster (default: 1, or 2 in about one run in four)
              --faults a,b        this fault schedule instead of random faults; names: %s
              --out DIR           where runs keep their files (default target/torture)
            """.formatted(Arrays.stream(FaultKind.values()).map(FaultKind::label).toList());

    static TortureOptions defaults() {
        return new TortureOptions(1, 30, System.currentTimeMillis(), false, false, false, false, 5, 5, -1, null,
                Path.of("target", "torture"));
    }

    static TortureOptions parse(String... args) {
        TortureOptions o = defaults();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--keep-going" -> o = o.with(b -> b.keepGoing = true);
                case "--keep" -> o = o.with(b -> b.keepAll = true);
                case "--unsafe-two-node" -> o = o.with(b -> b.unsafeTwoNode = true);
                case "--runs", "--seconds", "--seed", "--mode", "--clients", "--keys", "--backups", "--faults", "--out" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(arg + " needs a value");
                    }
                    o = o.withValue(arg, args[++i]);
                }
                default -> throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        if (o.runs < 1 || o.seconds < 1 || o.clients < 1 || o.keys < 1) {
            throw new IllegalArgumentException("--runs, --seconds, --clients and --keys must be at least 1");
        }
        return o;
    }

    /**
     * An independent seed for one part of a run (cluster shape, nemesis, each client). Runs use
     * consecutive seeds, and {@link java.util.Random}'s first draws from nearby seeds are nearly equal,
     * so every seed goes through a SplittableRandom mix first.
     */
    static long derive(long seed, int stream) {
        return new java.util.SplittableRandom(seed ^ (stream * 0x9E3779B97F4A7C15L)).nextLong();
    }

    /** The options of run {@code index} alone, as its replay command gives them. */
    TortureOptions forRun(int index) {
        return with(b -> {
            b.seed = seed + index;
            b.runs = 1;
        });
    }

    /** The arguments that repeat this run on its own. */
    String replayCommand() {
        List<String> args = new ArrayList<>(List.of("bin/torture", "--runs", "1", "--seconds", Integer.toString(seconds),
                "--seed", Long.toString(seed)));
        if (async) {
            args.addAll(List.of("--mode", "async"));
        }
        if (unsafeTwoNode) {
            args.add("--unsafe-two-node");
        }
        if (clients != 5 || keys != 5) {
            args.addAll(List.of("--clients", Integer.toString(clients), "--keys", Integer.toString(keys)));
        }
        if (backups >= 0) {
            args.addAll(List.of("--backups", Integer.toString(backups)));
        }
        if (script != null) {
            args.addAll(List.of("--faults", String.join(",", script.stream().map(FaultKind::label).toList())));
        }
        return String.join(" ", args);
    }

    private TortureOptions withValue(String name, String value) {
        return with(b -> {
            switch (name) {
                case "--runs" -> b.runs = Integer.parseInt(value);
                case "--seconds" -> b.seconds = Integer.parseInt(value);
                case "--seed" -> b.seed = Long.parseLong(value);
                case "--clients" -> b.clients = Integer.parseInt(value);
                case "--keys" -> b.keys = Integer.parseInt(value);
                case "--backups" -> b.backups = Integer.parseInt(value);
                case "--out" -> b.outputDir = Path.of(value);
                case "--faults" -> b.script = Arrays.stream(value.split(","))
                        .map(String::trim).map(FaultKind::byLabel).toList();
                case "--mode" -> {
                    if (!value.equals("sync") && !value.equals("async")) {
                        throw new IllegalArgumentException("--mode is sync or async, not " + value);
                    }
                    b.async = value.equals("async");
                }
                default -> throw new IllegalArgumentException("unknown argument " + name);
            }
        });
    }

    /** A mutable copy, for the few places that change one or two fields. */
    TortureOptions with(java.util.function.Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return new TortureOptions(b.runs, b.seconds, b.seed, b.keepGoing, b.keepAll, b.async, b.unsafeTwoNode,
                b.clients, b.keys, b.backups, b.script, b.outputDir);
    }

    static final class Builder {
        int runs;
        int seconds;
        long seed;
        boolean keepGoing;
        boolean keepAll;
        boolean async;
        boolean unsafeTwoNode;
        int clients;
        int keys;
        int backups;
        List<FaultKind> script;
        Path outputDir;

        private Builder(TortureOptions o) {
            runs = o.runs;
            seconds = o.seconds;
            seed = o.seed;
            keepGoing = o.keepGoing;
            keepAll = o.keepAll;
            async = o.async;
            unsafeTwoNode = o.unsafeTwoNode;
            clients = o.clients;
            keys = o.keys;
            backups = o.backups;
            script = o.script;
            outputDir = o.outputDir;
        }
    }
}
