package pbkv.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The catalogue of scenarios. */
final class Scenarios {

    private static final Duration WHILE = Duration.ofSeconds(3);
    /** Each way, so a replication round trip takes twice this: well inside the 1 s replication timeout. */
    private static final Duration SLOW_LINK = Duration.ofMillis(150);
    private static final int SPLIT_WRITES = 3;

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
                    + " yet replicated are lost, and the verdict lists them", "async", Scenarios::asyncLoss),
            new Scenario("slow-backup", "a backup behind a slow link stays in sync (writes just take longer); one that"
                    + " goes silent is dropped from the in-sync set while writes go on, and rejoins when the link heals",
                    "sync", Scenarios::slowBackup),
            new Scenario("two-node-split-brain", "two data nodes, no witness, failover.allow-unsafe-two-node=true: a"
                    + " partition makes both primary, both acknowledge writes, and when it heals one side's acknowledged"
                    + " writes are gone", "sync", Scenario.Shape.TWO_NODES_UNSAFE, Scenarios::twoNodeSplitBrain));

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
        loadForAWhile(run);
    }

    private static void backupFailure(ScenarioRun run) throws Exception {
        loadForAWhile(run);
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
        loadForAWhile(run);
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
        loadForAWhile(run);
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
        loadForAWhile(run);
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
        loadForAWhile(run);
        // All in one step: within a replication timeout of the cut the primary would drop the backup
        // from its in-sync set, which makes the backup stale and not electable.
        run.step("cut the primary->backup link, write keys the primary acknowledges at once, kill -9 the primary",
                "# bin/cluster cannot cut links; the scenario cuts the primary->backup link proxy\n"
                        + ScenarioRun.curl("PUT", "primary", "/kv/late0", "late0") + "\n# ... late1 .. late4\nbin/cluster kill primary",
                () -> {
                    run.cluster().link("primary", "backup").cut();
                    for (int i = 0; i < 5; i++) {
                        // Straight to the primary: looking it up first costs a round of GET /cluster per write.
                        run.writeTo("primary", "late" + i, "late" + i + "-" + run.seed());
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

    private static void slowBackup(ScenarioRun run) throws Exception {
        loadForAWhile(run);
        run.step("slow the links between primary and backup by " + SLOW_LINK.toMillis() + " ms each way; writes go on",
                "# bin/cluster cannot slow links; the scenario switches its link proxies to 'delay'", () -> {
                    run.slow("primary", "backup", SLOW_LINK);
                    boolean inSync = run.holdsThroughout(WHILE.multipliedBy(2),
                            () -> run.cluster().inSync("primary").contains("backup"));
                    run.note("the backup stayed in the primary's in-sync set throughout the slow link: " + (inSync ? "yes" : "no"));
                });
        run.step("the backup goes silent (every link to and from it drops everything): the primary drops it from the"
                + " in-sync set and writes go on", "# the scenario switches the backup's link proxies to 'lossy 1.0'", () -> {
                    run.silence("backup");
                    run.await("the primary to drop the backup from its in-sync set",
                            () -> "PRIMARY".equals(run.cluster().role("primary")) && !run.cluster().inSync("primary").contains("backup"));
                    run.note("the primary's in-sync set is now " + run.cluster().inSync("primary") + " at epoch "
                            + run.cluster().epoch("primary"));
                    run.pace(WHILE);
                });
        run.step("heal the links: the backup catches up and rejoins the in-sync set", "# the scenario switches its link proxies to 'pass'",
                () -> {
                    run.heal();
                    run.awaitCaughtUp("primary", "backup");
                });
    }

    private static void twoNodeSplitBrain(ScenarioRun run) throws Exception {
        loadForAWhile(run);
        run.step("cut the links between primary and backup (both directions): each side makes itself primary",
                "# the scenario switches its link proxies to 'cut'", () -> {
                    run.isolate("primary");
                    run.await("both nodes to say PRIMARY", () -> "PRIMARY".equals(run.cluster().role("primary"))
                            && "PRIMARY".equals(run.cluster().role("backup")));
                    run.note("two primaries: primary at epoch " + run.cluster().epoch("primary") + ", backup at epoch "
                            + run.cluster().epoch("backup"));
                });
        List<String> sides = List.of("primary", "backup");
        run.step("write to each side: both acknowledge", ScenarioRun.curl("PUT", "primary", "/kv/split-primary0", "p0") + "\n"
                + ScenarioRun.curl("PUT", "backup", "/kv/split-backup0", "b0") + "\n# ... and so on", () -> {
                    for (String side : sides) {
                        int acknowledged = 0;
                        for (int i = 0; i < SPLIT_WRITES; i++) {
                            acknowledged += run.writeTo(side, splitKey(side, i), side + i + "-" + run.seed()).status() == 200 ? 1 : 0;
                        }
                        run.note(side + " acknowledged " + acknowledged + " of " + SPLIT_WRITES + " writes to its own keys");
                    }
                    run.pace(WHILE);
                });
        run.step("heal the links: the primary of the later epoch wins, the other steps down and drops what it accepted alone",
                "# the scenario switches its link proxies to 'pass'\nbin/cluster status\n"
                        + ScenarioRun.curl("GET", "primary", "/kv/split-backup0", null), () -> {
                    run.heal();
                    String winner = run.awaitSettled();
                    run.note("now " + winner + " is primary at epoch " + run.cluster().epoch(winner) + " with the other in sync");
                    for (String side : sides) {
                        int survived = 0;
                        for (int i = 0; i < SPLIT_WRITES; i++) {
                            survived += run.readLocal(winner, splitKey(side, i)).status() == 200 ? 1 : 0;
                        }
                        run.note("of the writes " + side + " acknowledged during the split, " + survived + " of "
                                + SPLIT_WRITES + " are on " + winner);
                    }
                });
    }

    /** Starts the background client and lets it run before the scenario's first fault. */
    private static void loadForAWhile(ScenarioRun run) throws Exception {
        run.startLoad();
        run.step("a client writes and reads for a while", "# any loop of curl PUT/GET against the primary", () -> run.pace(WHILE));
    }

    private static String splitKey(String side, int i) {
        return "split-" + side + i;
    }
}
