package pbkv.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import pbkv.harness.ClusterBuilder;
import pbkv.harness.ClusterHarness;

/**
 * A quicker node start for a test that restarts node JVMs dozens of times: the node jar extracted
 * ({@code -Djarmode=tools extract}) and an application class-data-sharing archive recorded from one
 * training start ({@code -XX:ArchiveClassesAtExit}, {@code spring.context.exit=onRefresh}). It changes
 * how fast classes load, nothing the node does; a start with it takes about 60% of the time. Anything
 * that goes wrong here (a JDK without the option, a failed training run) leaves the default launch.
 */
final class ClassDataSharing {

    private static final long STEP_SECONDS = 90;

    private ClassDataSharing() {
    }

    /** {@code java <flags> -XX:SharedArchiveFile=... -jar <extracted jar>}, or empty to launch the default way. */
    static Optional<List<String>> launchCommand(Path jar, Path dir) {
        try {
            ClusterBuilder.deleteRecursively(dir);
            Files.createDirectories(dir);
            Path app = dir.resolve("app");
            Path archive = dir.resolve("pbkv.jsa");
            if (run(List.of(java(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", app.toString()),
                    dir) != 0) {
                return Optional.empty();
            }
            Path appJar = app.resolve(jar.getFileName());
            List<String> training = prefix(appJar, "-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh");
            List<String> command;
            try (ClusterHarness layout = ClusterHarness.builder("cds-training").outputRoot(dir).launchCommand(training)
                    .build()) {
                command = layout.node(ClusterBuilder.PRIMARY).command(); // a real node's arguments; its ports free once closed
            }
            run(command, Files.createDirectories(dir.resolve("training")));
            return Files.isRegularFile(archive) ? Optional.of(prefix(appJar, "-XX:SharedArchiveFile=" + archive))
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static List<String> prefix(Path appJar, String... options) {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(ClusterBuilder.JVM_FLAGS);
        command.addAll(List.of(options));
        command.addAll(List.of("-jar", appJar.toString()));
        return command;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int run(List<String> command, Path workDir) throws IOException {
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("output-" + System.nanoTime() + ".log").toFile()).start();
        try {
            if (!process.waitFor(STEP_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
