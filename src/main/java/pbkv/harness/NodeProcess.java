package pbkv.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One node as a separate OS process, for the bench, the scenarios and the integration tests. The command
 * (JVM flags, jar, node arguments) and the directories are fixed at construction, so {@link #restart()}
 * brings back the same node with the same data directory. The node runs in its own working directory
 * (so the repository's ./config is not picked up); output goes to one log file that is appended across
 * restarts, with a marker line per lifecycle event. Every process started is killed when this JVM exits,
 * however it exits short of SIGKILL.
 */
public final class NodeProcess {

    private static final long EXIT_WAIT_SECONDS = 15;
    private static final Duration READINESS_POLL = Duration.ofMillis(20);
    /** Every process started and not yet reaped, so a crashed or interrupted test run leaves no orphans. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> RUNNING.forEach(Process::destroyForcibly), "pbkv-node-reaper"));
    }

    private final String id;
    private final String scheme;
    private final int port;
    private final List<String> command;
    private final Path workDir;
    private final Path logFile;
    private Process process; // guarded by this
    private boolean paused; // guarded by this
    private int starts; // guarded by this

    public NodeProcess(String id, int port, List<String> command, Path workDir, Path logFile) {
        this(id, "http", port, command, workDir, logFile);
    }

    /** {@code scheme} is {@code https} for a node that serves TLS. */
    public NodeProcess(String id, String scheme, int port, List<String> command, Path workDir, Path logFile) {
        this.id = id;
        this.scheme = scheme;
        this.port = port;
        this.command = List.copyOf(command);
        this.workDir = workDir;
        this.logFile = logFile;
    }

    public String id() {
        return id;
    }

    /** The node's real HTTP port (clients use it; other nodes reach it through {@link LinkProxy}s). */
    public int port() {
        return port;
    }

    public String baseUrl() {
        return scheme + "://127.0.0.1:" + port;
    }

    public Path logFile() {
        return logFile;
    }

    /** Where the node keeps its data dir ({@code node.data-dir}): {@code data/<id>} below this. */
    public Path workDir() {
        return workDir;
    }

    public List<String> command() {
        return command;
    }

    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(id + " was never started");
        }
        return process.pid();
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public synchronized boolean isPaused() {
        return paused && isAlive();
    }

    /** Exit code of the last run, empty while it runs or if it never ran. */
    public synchronized OptionalInt exitCode() {
        return process == null || process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    public synchronized void start() {
        if (isAlive()) {
            throw new IllegalStateException(id + " is already running, pid " + process.pid());
        }
        try {
            Files.createDirectories(workDir);
            Files.createDirectories(logFile.getParent());
            starts++;
            mark("start #" + starts + ": " + String.join(" ", command.stream().map(NodeProcess::redacted).toList()));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(logFile.toFile()));
            // glibc gives each thread that mallocs its own 64 MB arena; a JVM needs few of them, and
            // the default costs tens of MB of resident memory.
            builder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
            process = builder.start();
            process.getOutputStream().close(); // the node reads nothing from stdin
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + id, e);
        }
        paused = false;
        RUNNING.add(process);
    }

    /** SIGKILL (works on a paused process too) and wait until the OS has reaped it. No-op if not running. */
    public synchronized void kill() {
        if (!isAlive()) {
            if (process != null) {
                RUNNING.remove(process);
            }
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException(id + " (pid " + process.pid() + ") survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing " + id, e);
        }
        RUNNING.remove(process);
        paused = false;
        mark("killed (SIGKILL)");
    }

    /** SIGSTOP: the process freezes with its sockets open, so peers see timeouts, not refusals. */
    public synchronized void pause() {
        signal("STOP");
        paused = true;
        mark("paused (SIGSTOP)");
    }

    /** SIGCONT: continue a paused process; it finds its timers overdue, as after a long GC pause. */
    public synchronized void resume() {
        signal("CONT");
        paused = false;
        mark("resumed (SIGCONT)");
    }

    /** Crash-restart: SIGKILL if running, then start again with the same arguments and data directory. */
    public synchronized void restart() {
        kill();
        start();
    }

    /**
     * Readiness: polls {@code GET /actuator/health} until the node answers 200 with JSON, and says
     * whether it did within {@code timeout}; false as soon as the process has exited (its
     * {@link #logTail} then says why). The poll is fine enough to time a restart with.
     */
    public boolean awaitHealthy(KvClient client, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (client.jsonObject(baseUrl() + "/actuator/health") == null) {
            if (!isAlive() || System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(READINESS_POLL.toMillis());
        }
        return true;
    }

    /** The last {@code lines} lines of the log, for failure messages. */
    public String logTail(int lines) {
        try {
            if (!Files.exists(logFile)) {
                return "(no log at " + logFile + ")";
            }
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    @Override
    public synchronized String toString() {
        String state = process == null ? "never started"
                : process.isAlive() ? (paused ? "paused" : "running") + " pid " + process.pid()
                : "exited " + process.exitValue();
        return "NodeProcess[" + id + " :" + port + ", " + state + "]";
    }

    private void signal(String signal) {
        if (!isAlive()) {
            throw new IllegalStateException(id + " is not running, cannot send SIG" + signal);
        }
        try {
            // through sh, whose builtin kill exists even where no /usr/bin/kill (procps) is installed
            Process kill = new ProcessBuilder("sh", "-c", "kill -" + signal + " " + process.pid())
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill -" + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + id, e);
        }
    }

    /** Secrets and passwords stay out of the log: its readers need the command's shape, not the credentials. */
    private static String redacted(String argument) {
        int eq = argument.indexOf('=');
        String name = eq < 0 ? "" : argument.substring(0, eq).toLowerCase(java.util.Locale.ROOT);
        return name.contains("secret") || name.contains("password") ? argument.substring(0, eq) + "=***" : argument;
    }

    /** A marker line in the node's log, so a reader can line up the nemesis with what the node did. */
    private void mark(String event) {
        String line = "==== [harness] " + Instant.now() + " " + id + " " + event + System.lineSeparator();
        try {
            Files.writeString(logFile, line, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // the marker is a convenience; never fail a nemesis operation over it
        }
    }
}
