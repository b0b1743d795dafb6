package pbkv.scenario;

import java.util.List;
import pbkv.bench.NodeSettings;

/** The report's Environment and Settings sections: what a reader needs to reproduce or compare a run. */
final class Environment {

    private Environment() {
    }

    static void describe(Report report, NodeSettings settings, Scenario.Shape shape, long seed) {
        report.heading(2, "Environment");
        String version = Environment.class.getPackage().getImplementationVersion();
        report.table(List.of("what", "value"), List.of(
                List.of("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch")),
                List.of("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version")),
                List.of("CPUs", Integer.toString(Runtime.getRuntime().availableProcessors())),
                List.of("pbkv", version == null ? "(development build)" : version),
                List.of("jar", settings.jar().toString())));
        report.heading(2, "Settings");
        report.table(List.of("setting", "value"), List.of(
                List.of("nodes", shape.description + " (loopback, free ports; each peer reached through a link proxy)"),
                List.of("replication.mode", settings.mode()),
                List.of("heartbeat.interval", settings.heartbeat()),
                List.of("failure.timeout", settings.failureTimeout()),
                List.of("node JVM flags", String.join(" ", settings.jvmFlags())),
                List.of("client seed", Long.toString(seed))));
    }
}
