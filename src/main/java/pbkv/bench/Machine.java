package pbkv.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine the bench runs on: its CPU for the result files, and whether something else keeps it busy. */
final class Machine {

    private Machine() {
    }

    /** The CPU model from /proc/cpuinfo (Linux), else the OS architecture. */
    static String model() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    /** Peak and current resident set size in MiB of process {@code pid}, from /proc/PID/status (Linux); -1 if unknown. */
    static long[] residentMiB(long pid) {
        long hwm = -1;
        long rss = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    hwm = kib(line) / 1024;
                } else if (line.startsWith("VmRSS:")) {
                    rss = kib(line) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return new long[] {hwm, rss};
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    /** The 1-minute load average (Linux), or -1: a busy machine makes every figure of the bench lower. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readAllLines(Path.of("/proc/loadavg")).get(0).split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** A warning line when other processes were keeping the CPUs busy, else null. */
    static String busyWarning() {
        double load = loadAverage();
        int cpus = Runtime.getRuntime().availableProcessors();
        if (load < cpus * 0.5) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "WARNING: 1-minute load average %.1f on %d CPUs as the bench starts: other "
                + "processes compete with the nodes and the load generator, figures will be low and noisy", load, cpus);
    }
}
