package pbkv.bench;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One pbkv node as an OS process, started from its own directory (so the repository's ./config
 * is not picked up) with its output in {@code node.log} there. kill, pause and resume are the
 * signals the failover and catch-up trials need; every process started is killed when the bench
 * JVM exits, however it exits short of SIGKILL.
 */
public final class BenchNode {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "pbkv-bench-reaper"));
    }

    private final String id;
    private final int port;
    private final Path dir;
    private final List<String> command;
    private Process process;

    public BenchNode(String id, int port, Path dir, List<String> command) {
        this.id = id;
        this.port = port;
        this.dir = dir;
        this.command = List.copyOf(command);
    }

    public String id() {
        return id;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Path log() {
        return dir.resolve("node.log");
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    public synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    public synchronized void start() throws IOException {
        if (alive()) {
            throw new IllegalStateException(id + " is already running");
        }
        Files.createDirectories(dir);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(log().toFile()));
        // glibc gives each thread that mallocs its own 64 MB arena; a JVM needs few of them, and
        // the default costs tens of MB of resident memory.
        builder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
        process = builder.start();
        process.getOutputStream().close();
        LIVE.add(process);
    }

    /** SIGKILL, and wait until the OS has reaped the process (works on a paused one too). */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(process);
    }

    /** SIGSTOP: the node freezes with its sockets open, so the primary sees timeouts, not refusals. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + pid() + " failed");
        }
    }

    /** Peak and current resident set size in MiB, from /proc/PID/status (Linux); -1 if unknown. */
    long[] residentMiB() {
        long hwm = -1;
        long rss = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
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

    /** The last lines of the node's log, to explain a node that did not come up. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log());
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
