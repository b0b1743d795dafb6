package pbkv.observability;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Debian-packaged tool a test runs (promtool, prometheus, docker-compose). Missing, the test is
 * skipped with the install command, except under CI (CI=true), where .ci/run installs the tools
 * and a skip would hide that it did not.
 */
record ExternalTool(Path binary) {

    private static final List<Path> BIN_DIRS = List.of(Path.of("/usr/bin"), Path.of("/usr/local/bin"), Path.of("/bin"));
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    /** The tool, or the test skipped (failed under CI) with the Debian package that provides it. */
    static ExternalTool require(String name, String debianPackage) {
        Path found = BIN_DIRS.stream().map(dir -> dir.resolve(name)).filter(Files::isExecutable).findFirst().orElse(null);
        String message = name + " not found in " + BIN_DIRS + ": install it with `apt-get install -y " + debianPackage + "`";
        if (found == null && "true".equals(System.getenv("CI"))) {
            fail(message + " (.ci/run installs it; under CI a missing tool is an error, not a skip)");
        }
        assumeTrue(found != null, message);
        return new ExternalTool(found);
    }

    /** Runs the tool in {@code directory}; its output (stdout and stderr merged) and exit code. */
    Result run(Path directory, String... arguments) {
        return run(directory, Map.of(), arguments);
    }

    /** As {@link #run(Path, String...)}, with {@code environment} replacing the inherited variables of those names. */
    Result run(Path directory, Map<String, String> environment, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(arguments));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
            // the caller's own secrets must not leak into a test that checks they are required
            builder.environment().keySet().removeIf(name -> name.startsWith("PBKV_") || name.endsWith("_PASSWORD"));
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            // the outputs are small (a few kB); read to the end, then the process has exited or is about to
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within " + TIMEOUT + ":\n" + output);
            }
            return new Result(String.join(" ", command), process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** The project directory: Maven sets {@code basedir}; from an IDE it is the working directory. */
    static Path projectRoot() {
        String basedir = System.getProperty("basedir");
        return (basedir != null ? Path.of(basedir) : Path.of("")).toAbsolutePath();
    }

    record Result(String command, int exitCode, String output) {
        @Override
        public String toString() {
            return "$ " + command + "\n(exit " + exitCode + ")\n" + output;
        }
    }
}
