package pbkv.torture;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import pbkv.harness.ClusterBuilder;
import pbkv.harness.ClusterHarness;
import pbkv.harness.KvResponse;

/**
 * Applies one {@link FaultKind} to the cluster and holds it for its (random) duration; the
 * {@link Nemesis} heals afterwards. Crashed nodes are restarted here when the fault's point is what
 * happens on their return (the old primary's rejoin). Returns what it did, for the run's report.
 */
final class FaultInjector {

    static final Duration FAILOVER = Duration.ofSeconds(20);

    private final ClusterHarness cluster;
    private final List<String> dataNodes;
    private final Random random;

    FaultInjector(ClusterHarness cluster, List<String> dataNodes, Random random) {
        this.cluster = cluster;
        this.dataNodes = List.copyOf(dataNodes);
        this.random = random;
    }

    String inject(FaultKind kind) throws InterruptedException {
        String p = cluster.primaryId().orElseGet(() -> cluster.awaitPrimary(FAILOVER));
        List<String> backups = dataNodes.stream().filter(id -> !id.equals(p)).toList();
        String b = pick(backups);
        switch (kind) {
            case KILL_PRIMARY -> {
                cluster.kill(p);
                String next = awaitOtherPrimary(p);
                hold(0, 1000);
                cluster.restart(p);
                return p + "; " + next + " took over; " + p + " restarted";
            }
            case CRASH_RESTART_PRIMARY -> {
                cluster.kill(p);
                hold(0, 500);
                cluster.restart(p);
                return p;
            }
            case KILL_BACKUP -> {
                cluster.kill(b);
                return b + " for " + hold(1000, 3000) + " ms";
            }
            case KILL_WITNESS -> {
                cluster.kill(ClusterBuilder.WITNESS);
                return "witness for " + hold(1000, 3000) + " ms";
            }
            case PAUSE_SHORT -> {
                String n = pick(cluster.nodeIds());
                cluster.pause(n);
                return n + " for " + hold(200, 700) + " ms";
            }
            case PAUSE_LONG -> {
                String n = pick(dataNodes);
                cluster.pause(n);
                return n + " for " + hold(1500, 3500) + " ms";
            }
            case ZOMBIE_PRIMARY -> {
                cluster.pause(p);
                String next = awaitOtherPrimary(p);
                hold(0, 500);
                cluster.resume(p);
                hold(500, 1000); // the zombie wakes to the requests queued while it slept
                return p + "; " + next + " took over; " + p + " resumed";
            }
            case PARTITION_DATA -> {
                cluster.cutBoth(p, b);
                return p + "<->" + b + " for " + hold(1500, 3500) + " ms";
            }
            case CUT_ONE_WAY -> {
                String from = random.nextBoolean() ? p : b;
                String to = from.equals(p) ? b : p;
                cluster.cut(from, to);
                return from + "->" + to + " for " + hold(1500, 3500) + " ms";
            }
            case SILENT_PARTITION -> {
                cluster.lossy(p, b, 1.0);
                cluster.lossy(b, p, 1.0);
                return p + "<->" + b + " for " + hold(1500, 3500) + " ms";
            }
            case CUT_WITNESS -> {
                return cutWitness(pick(dataNodes)) + " for " + hold(1500, 3500) + " ms";
            }
            case ISOLATE_PRIMARY -> {
                cluster.isolate(p);
                return p + " for " + hold(1500, 3500) + " ms";
            }
            case LOSSY_REPLICATION -> {
                double loss = 0.05 + 0.45 * random.nextDouble();
                cluster.lossy(p, b, loss);
                return String.format("%s->%s p=%.2f for %d ms", p, b, loss, hold(2000, 4000));
            }
            case SLOW_REPLICATION -> {
                int latency = 20 + random.nextInt(680);
                cluster.delay(p, b, Duration.ofMillis(latency));
                return p + "->" + b + " +" + latency + " ms for " + hold(2000, 4000) + " ms";
            }
            case CUT_THEN_KILL_PRIMARY -> {
                backups.forEach(backup -> cluster.cut(p, backup));
                long after = hold(300, 700);
                cluster.kill(p);
                cluster.heal();
                String next = awaitOtherPrimary(p);
                cluster.restart(p);
                return p + " killed " + after + " ms after the cut; " + next + " took over; " + p + " restarted";
            }
            case POWER_LOSS -> {
                String n = pick(dataNodes);
                cluster.powerLoss(n);
                return n + ", restarted with what its disk had synced";
            }
            case CRASH_ALL -> {
                List<String> order = new ArrayList<>(cluster.nodeIds());
                Collections.shuffle(order, random);
                cluster.crashEveryNode();
                cluster.startInOrder(order, Nemesis.SETTLE);
                return "all nodes, restarted in the order " + String.join(",", order);
            }
            default -> throw new IllegalStateException("no such fault " + kind);
        }
    }

    private String cutWitness(String n) {
        String w = ClusterBuilder.WITNESS;
        switch (random.nextInt(3)) {
            case 0 -> {
                cluster.cutBoth(w, n);
                return w + "<->" + n;
            }
            case 1 -> {
                cluster.cut(n, w);
                return n + "->" + w;
            }
            default -> {
                cluster.cut(w, n);
                return w + "->" + n;
            }
        }
    }

    /** Polls until a node other than {@code old} reports PRIMARY; "nobody" after {@link #FAILOVER}. */
    private String awaitOtherPrimary(String old) throws InterruptedException {
        long deadline = System.nanoTime() + FAILOVER.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> primary = cluster.primaryId().filter(id -> !id.equals(old));
            if (primary.isPresent()) {
                return primary.get();
            }
            Thread.sleep(100);
        }
        // Not a problem by itself: if the dead primary was the only in-sync node, waiting for it is
        // right. The survivors say why; whether the cluster recovers after healing is checked anyway.
        return "nobody (" + String.join(", ", dataNodes.stream().filter(id -> !id.equals(old))
                .map(id -> id + ": " + unavailableReason(id)).toList()) + ")";
    }

    /** What a node's {@code /cluster} says about why it cannot serve, or why it could not be asked. */
    private String unavailableReason(String id) {
        KvResponse view = cluster.client().withTimeout(Duration.ofSeconds(2))
                .send("GET", URI.create(cluster.node(id).baseUrl() + "/cluster"), null, Map.of());
        return view.isOk() ? String.valueOf(view.field("unavailable")) : "no answer (" + view.status() + ")";
    }

    /** Sleeps a random time in [min, max) ms (the fault's duration, not a wait for a condition). */
    private long hold(int minMillis, int maxMillis) throws InterruptedException {
        long millis = minMillis + random.nextInt(maxMillis - minMillis);
        Thread.sleep(millis);
        return millis;
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }
}
