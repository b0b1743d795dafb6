package pbkv.scenario;

import java.util.List;

/**
 * One experiment: its name on the command line, what it demonstrates, the replication mode and
 * shape of its cluster, and its script. The runner starts the cluster before the script and
 * verifies every key after it.
 */
record Scenario(String name, String demonstrates, String mode, Shape shape, Script script) {

    Scenario(String name, String demonstrates, String mode, Script script) {
        this(name, demonstrates, mode, Shape.WITH_WITNESS, script);
    }

    /** The steps between the cluster's start and the final verification. */
    interface Script {
        void run(ScenarioRun run) throws Exception;
    }

    /** The nodes a scenario's cluster has, and the properties that shape needs on every node. */
    enum Shape {
        WITH_WITNESS(ScenarioCluster.IDS, List.of(), "primary, backup and witness", "bin/cluster up"),
        /** Without a witness a node cannot tell a dead peer from a cut link; this setting promotes on the timeout alone. */
        TWO_NODES_UNSAFE(ScenarioCluster.TWO_DATA_NODES, List.of("--failover.allow-unsafe-two-node=true"),
                "primary and backup, no witness, failover.allow-unsafe-two-node=true",
                "# bin/cluster always starts a witness: start two nodes by hand with --failover.allow-unsafe-two-node=true");

        final List<String> nodes;
        final List<String> properties;
        final String description;
        final String typed;

        Shape(List<String> nodes, List<String> properties, String description, String typed) {
            this.nodes = nodes;
            this.properties = properties;
            this.description = description;
            this.typed = typed;
        }
    }
}
