package pbkv.sim;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import pbkv.check.CheckResult;
import pbkv.check.LinearizabilityChecker;
import pbkv.check.Verdict;
import pbkv.check.Violation;
import pbkv.core.ReplicationMode;

/**
 * One seed, start to end: build the world from {@code new Random(seed)} (the only source of
 * randomness), let the clients and the nemesis loose, heal everything, let the cluster settle
 * while the clients go on, then check the final primary and the history. Invariants are
 * checked after every event; the first violation ends the run.
 */
final class SimulationRun {

    /** Per history; a history this workload produces checks in milliseconds, so UNKNOWN means trouble. */
    private static final Duration CHECK_BUDGET = Duration.ofSeconds(20);

    private SimulationRun() {
    }

    static SimulationResult run(long seed, SimScenario scenario, PrintStream verbose) {
        Random random = new Random(seed);
        SimConfig config = scenario.configure(seed, random);
        Trace trace = new Trace(verbose);
        trace.log(0, "seed " + seed + " " + config);
        EventQueue queue = new EventQueue();
        SimWorld world = new SimWorld(config, random, queue, trace);
        InvariantMonitor monitor = new InvariantMonitor(world, config.mode() == ReplicationMode.SYNC && !config.allowUnsafeTwoNode());
        SimHistory history = new SimHistory();

        long faultEnd = EventQueue.millis(config.faultMillis());
        long clientsStop = faultEnd + EventQueue.millis(config.quietMillis());
        long end = clientsStop + EventQueue.millis(SimConfig.CLIENT_TIMEOUT_MILLIS + 100);
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < config.keys(); k++) {
            keys.add("k" + k);
        }
        List<SimClient> clients = new ArrayList<>();
        for (int c = 1; c <= config.clients(); c++) {
            SimClient client = new SimClient("c" + c, world, monitor, history, keys, clientsStop);
            clients.add(client);
            client.start();
        }
        SimNemesis nemesis = new SimNemesis(world, config.nemesis(), faultEnd);
        nemesis.start();
        queue.at(faultEnd, nemesis::healAll);

        monitor.afterEvent();
        while (!monitor.failed() && queue.runNext(end)) {
            monitor.afterEvent();
        }
        clients.forEach(SimClient::giveUp);
        if (!monitor.failed()) {
            monitor.finalCheck();
        }
        if (!monitor.failed()) {
            checkHistory(history, monitor);
        }
        String summary = history.summary() + " acked=" + monitor.acks().count() + " promotions=" + monitor.promotions()
                + " final-primary=" + (world.currentPrimary() == null ? "none" : world.currentPrimary().id);
        trace.log(queue.now(), "end: " + summary + (monitor.failed() ? " FAILED" : " ok"));
        return new SimulationResult(seed, scenario, config.toString(), trace.hash(), trace.lineCount(), monitor.violations(), summary,
                history.lines(), trace.recentLines());
    }

    private static void checkHistory(SimHistory history, InvariantMonitor monitor) {
        CheckResult result = LinearizabilityChecker.check(history.history(), CHECK_BUDGET);
        if (result.verdict() == Verdict.NOT_LINEARIZABLE) {
            StringBuilder why = new StringBuilder("history NOT linearizable");
            for (Violation v : result.violations()) {
                v.explain().forEach(line -> why.append("\n  ").append(line));
            }
            monitor.violation(why.toString());
        } else if (result.verdict() == Verdict.UNKNOWN) {
            monitor.violation("checker ran out of its " + CHECK_BUDGET.toSeconds() + " s budget on keys " + result.undecided());
        }
    }
}
