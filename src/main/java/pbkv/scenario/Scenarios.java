package pbkv.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The catalogue of scenarios. */
final class Scenarios {

    private static final Duration WHILE = Duration.ofSeconds(3);

    static final List<Scenario> ALL = List.of(
            new Scenario("basic", "set and get on the primary, then every key read back from the backup's own copy",
                    "sync", Scenarios::basic),
            new Scenario("backup-failure", "writes go on while the backup is dead; restarted, it catches up and rejoins"
                    + " the in-sync set", "sync", Scenarios::backupFailure),
            new Scenario("primary-failure", "the backup is promoted when the primary dies, takes the writes, and the old"
                    + " primary rejoins as its backup; nothing acknowledged is lost", "sync", Scenarios::primaryFailure),
            new Scenario("sequential-failures", "backup dies, primary goes on alone, primary dies, the old (stale) backup"
                    + " returns and is not promoted; nothing acknowledged is lost", "sync", Scenarios::sequentialFailures),
            new Scenario("partition", "the primary cut off from the others: a new epoch elects the backup, the old"
                    + " primary is fenced, and steps down when the links heal", "sync", Scenarios::partition),
            new Scenario("async-loss", "the primary failure with replication.mode=async: writes acknowledged but not"
                    + " yet replicated are lost, and the verdict lists them", "async", Scenarios::asyncLoss));

    private Scenarios() {
    }

    static Optional<Scenario> named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    private static void basic(ScenarioRun run) throws Exception {
        List<String> keys = List.of("a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9");
        run.step("write " + keys.size() + " keys to the primary", ScenarioRun.curl("PUT", "primary", "/kv/a0", "v" + run.seed() + "-a0")
                + "\n# ... and so on for a1 .. a9", () -> {
                    for (String key : keys) {
                        run.write(key, "v" + run.seed() + "-" + key);
                    }
                });
        run.step("read them back from the primary", ScenarioRun.curl("GET", "primary", "/kv/a0", null) + "\n# ...", () -> {
            for (String key : keys) {
                run.read("script", key);
            }
        });
        run.step("verify every key on the backup (its local copy)",
                ScenarioRun.curl("GET", "backup", "/kv/a0?consistency=local", null) + "\n# ...", () -> {
                    long same = keys.stream().filter(k -> ("v" + run.seed() + "-" + k).equals(NodeHttp.value(run.readLocal("backup", k).responseBody())))
                            .count();
                    run.note(same + " of " + keys.size() + " keys hold the acknowledged value on the backup");
                });
        run.startLoad();
        run.step("a client writes and reads for a while", "# any loop of curl PUT/GET against the primary",
                () -> run.pace(WHILE));
    }

    private static void backupFailure(ScenarioRun run) throws Exception {
        run.startLoad();
        run.step("a client writes and reads for a while", "# any loop of curl PUT/GET against the primary", () -> run.pace(WHILE));
        run.step("kill -9 the backup; writes go on", "bin/cluster kill backup", () -> {
            run.kill("backup");
            run.pace(WHILE);
        });
        run.step("restart the backup and watch it catch up", "bin/cluster start backup\nbin/cluster status", () -> {
            run.start("backup");
            run.awaitCaughtUp("primary", "backup");
        });
        run.step("writes go on with the backup in sync", "bin/cluster status", () -> run.pace(WHILE));
    }

    private static void primaryFailure(ScenarioRun run) throws Exception {
        run.startLoad();
        run.step("a client writes and reads for a while", "# any loop of curl PUT/GET against the primary", () -> run.pace(WHILE));
        run.step("kill -9 the primary and watch the backup's promotion", "bin/cluster kill primary\nbin/cluster status", () -> {
            run.kill("primary");
            run.await("backup to become primary", () -> "backup".equals(run.cluster().primary()));
        });
        run.step("write to the new primary", ScenarioRun.curl("PUT", "backup", "/kv/after-failover", "yes"), () -> {
            run.write("after-failover", "yes-" + run.seed());
            run.pace(WHILE);
        });
        run.step("restart the old primary and watch it rejoin as a backup", "bin/cluster start primary\nbin/cluster status", () -> {
            run.start("primary");
            run.awaitCaughtUp("backup", "primary");
        });
    }

    private static void sequentialFailures(ScenarioRun run) throws Exception {
        run.startLoad();
        run.step("a client writes and reads for a while", "# any loop of curl PUT/GET against the primary", () -> run.pace(WHILE));
        run.step("kill -9 the backup; the primary goes on alone", "bin/cluster kill backup", () -> {
            run.kill("backup");
            run.pace(WHILE);
        });
        run.step("kill -9 the primary", "bin/cluster kill primary", () -> run.kill("primary"));
        run.step("restart the old backup: it is stale, so it must not be promoted", "bin/cluster start backup\nbin/cluster status",
                () -> {
                    run.start("backup");
                    run.await("backup to answer", () -> !"DOWN".equals(run.cluster().role("backup")));
                    run.pace(Duration.ofSeconds(8));
                    String role = run.cluster().role("backup");
                    run.note("after several failure timeouts the returned backup is " + role
                            + ("PRIMARY".equals(role) ? " (a stale node was promoted!)" : " (not promoted: it lacks writes the primary acknowledged)"));
                });
        run.step("restart the primary: it leads again and the backup catches up", "bin/cluster start primary\nbin/cluster status",
                () -> {
                    run.start("primary");
                    run.await("a primary", () -> run.cluster().primary() != null);
                    String primary = run.cluster().primary();
                    run.awaitCaughtUp(primary, primary.equals("primary") ? "backup" : "primary");
                });
    }

    private static void partition(ScenarioRun run) throws Exception {
        run.startLoad();
        run.step("a client writes and reads for a while", "# any loop of curl PUT/GET against the primary", () -> run.pace(WHILE));
        run.step("cut the primary off from backup and witness (both directions)",
                "# bin/cluster cannot cut links; the scenario switches its link proxies to 'cut'", () -> {
                    run.isolate("primary");
                    run.await("backup to become primary at a new epoch", () -> "backup".equals(run.cluster().primary()));
                    run.note("the old primary says " + run.cluster().role("primary") + " at epoch " + run.cluster().epoch("primary")
                            + "; the new primary is at epoch " + run.cluster().epoch("backup"));
                    run.pace(WHILE);
                });
        run.step("heal the links: the old primary steps down and catches up", "# the scenario switches its link proxies to 'pass'",
                () -> {
                    run.heal();
                    run.awaitCaughtUp("backup", "primary");
                });
    }

    private static void asyncLoss(ScenarioRun run) throws Exception {
        run.startLoad();
        run.step("a client writes and reads for a while", "# any loop of curl PUT/GET against the primary", () -> run.pace(WHILE));
        // All in one step: within a replication timeout of the cut the primary would drop the backup
        // from its in-sync set, which makes the backup stale and not electable.
        run.step("cut the primary->backup link, write keys the primary acknowledges at once, kill -9 the primary",
                "# bin/cluster cannot cut links; the scenario cuts the primary->backup link proxy\n"
                        + ScenarioRun.curl("PUT", "primary", "/kv/late0", "late0") + "\n# ... late1 .. late4\nbin/cluster kill primary",
                () -> {
                    run.cluster().link("primary", "backup").cut();
                    for (int i = 0; i < 5; i++) {
                        run.write("late" + i, "late" + i + "-" + run.seed());
                    }
                    run.kill("primary");
                    run.heal();
                    run.await("backup to become primary", () -> "backup".equals(run.cluster().primary()));
                });
        run.step("restart the old primary: it rejoins as a backup and drops what its successor never had",
                "bin/cluster start primary\nbin/cluster status", () -> {
                    run.start("primary");
                    run.awaitCaughtUp("backup", "primary");
                });
    }
}
