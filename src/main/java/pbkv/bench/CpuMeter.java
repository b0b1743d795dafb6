package pbkv.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * CPU time used by named processes (the load generator itself and each node) between
 * {@link #begin()} and {@link #end()}, from /proc/PID/stat, and the time each node's JIT spent
 * compiling meanwhile (Micrometer's jvm.compilation.time). On a small machine the load generator
 * and the nodes share the cores, so "who used the CPU" is what explains a throughput figure, and
 * a node still compiling takes CPU from the rest: a measurement with the JIT at work is not the
 * steady state. CPU is in percent of one core, empty where /proc is not available; JIT time in
 * percent of the window.
 */
final class CpuMeter {

    /** USER_HZ: the unit of utime/stime in /proc/PID/stat; 100 on every Linux architecture in use. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final Map<String, Long> pids;
    /** Per node, its JIT's total compile time so far, in ms (-1: unknown). */
    private final Supplier<Map<String, Double>> compilation;
    private final Map<String, Long> startTicks = new LinkedHashMap<>();
    private Map<String, Double> startCompilation = Map.of();
    private long startNanos;
    private Map<String, Double> percent = Map.of();
    private Map<String, Double> jitPercent = Map.of();

    CpuMeter(Map<String, Long> pids, Supplier<Map<String, Double>> compilation) {
        this.pids = new LinkedHashMap<>(pids);
        this.compilation = compilation;
    }

    /** The bench JVM plus every node of the cluster. */
    static CpuMeter of(BenchCluster cluster) {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("load generator", ProcessHandle.current().pid());
        for (String id : cluster.ids()) {
            pids.put(id, cluster.node(id).pid());
        }
        return new CpuMeter(pids, () -> JitWarmup.compilation(cluster));
    }

    void begin() {
        startCompilation = compilation.get();
        startNanos = System.nanoTime();
        pids.forEach((name, pid) -> startTicks.put(name, ticks(pid)));
    }

    void end() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Double> result = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            long before = startTicks.getOrDefault(name, -1L);
            long after = ticks(pid);
            if (before >= 0 && after >= before && seconds > 0) {
                result.put(name, (after - before) / TICKS_PER_SECOND / seconds * 100);
            }
        });
        percent = result;
        Map<String, Double> jit = new LinkedHashMap<>();
        JitWarmup.difference(startCompilation, compilation.get()).forEach((id, ms) -> {
            if (ms >= 0 && seconds > 0) {
                jit.put(id, ms / 10 / seconds);
            }
        });
        jitPercent = jit;
    }

    /** Per node, its JIT's compile time over the window, in percent of the window (as CPU is in percent of one core). */
    Map<String, Double> jitPercent() {
        return jitPercent;
    }

    /** Percent of one core per process over the measured window. */
    Map<String, Double> percent() {
        return percent;
    }

    private static long ticks(long pid) {
        try {
            String stat = Files.readAllLines(Path.of("/proc", Long.toString(pid), "stat")).get(0);
            // "pid (comm) state ppid ..." - comm may contain spaces, so split after the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
