package pbkv.scenario;

/**
 * One experiment: its name on the command line, what it demonstrates, the replication mode its
 * cluster runs, and its script. The runner starts the cluster before the script and verifies
 * every key after it.
 */
record Scenario(String name, String demonstrates, String mode, Script script) {

    /** The steps between the cluster's start and the final verification. */
    interface Script {
        void run(ScenarioRun run) throws Exception;
    }
}
