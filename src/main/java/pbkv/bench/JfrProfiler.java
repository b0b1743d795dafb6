package pbkv.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --jfr DIR}: a Java Flight Recording of every node during each measured phase, to see
 * what limits a figure. Started with jcmd before the warm-up, with a delay of the warm-up's
 * length, so the cost of starting jcmd falls into the warm-up and the recording covers exactly
 * the measured window. Files: {@code DIR/<scenario>-<clients>c-<node>.jfr}; summarise one with
 * {@code jfr print --events jdk.ExecutionSample FILE | grep "at " | sort | uniq -c | sort -rn | head}.
 */
final class JfrProfiler {

    private final Path dir;
    private final PrintStream out;

    JfrProfiler(Path dir, PrintStream out) {
        this.dir = dir.toAbsolutePath();
        this.out = out;
    }

    /** Schedules one recording per node; returns the files that will appear once the window has passed. */
    List<Path> schedule(BenchCluster cluster, String scenario, int clients, Duration delay, Duration length)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        List<Path> files = new ArrayList<>();
        List<Process> jcmds = new ArrayList<>();
        for (String id : cluster.ids()) { // in parallel: each jcmd is a JVM start, slow on a small machine
            Path file = dir.resolve(scenario + "-" + clients + "c-" + id + ".jfr");
            files.add(file);
            jcmds.add(new ProcessBuilder(jcmd.toString(), Long.toString(cluster.node(id).pid()), "JFR.start",
                    "name=bench", "settings=profile", "delay=" + Math.max(1, delay.toSeconds()) + "s",
                    "duration=" + length.toSeconds() + "s", "filename=" + file).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        for (int i = 0; i < jcmds.size(); i++) {
            if (jcmds.get(i).waitFor() != 0) {
                out.println("  (jcmd JFR.start failed for " + cluster.ids().get(i) + "; no profile)");
            }
        }
        return files;
    }

    /** Waits (bounded) until the recordings are written: a node killed before its recording ends leaves an empty file. */
    void awaitWritten(List<Path> files, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Path file : files) {
            while (System.nanoTime() < deadline && sizeOf(file) == 0) {
                Thread.sleep(200);
            }
            if (sizeOf(file) == 0) {
                out.println("  (no JFR data in " + file + ")");
            }
        }
        Thread.sleep(500); // the JVM may still be finishing the file it has started
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
