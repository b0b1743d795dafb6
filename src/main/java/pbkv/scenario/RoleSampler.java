package pbkv.scenario;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Polls every node's GET /cluster a few times a second, for the timeline's role lanes, and notes
 * each promotion (a node turning PRIMARY after the start) as a marker.
 */
final class RoleSampler implements AutoCloseable {

    /** What one node said at one moment; role DOWN when it did not answer. */
    record Sample(long nanos, String node, String role, long epoch) {
    }

    private static final long PERIOD_MILLIS = 150;

    private final ScenarioCluster cluster;
    private final Markers markers;
    private final List<Sample> samples = new ArrayList<>(); // guarded by this
    private final Map<String, String> lastRole = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    RoleSampler(ScenarioCluster cluster, Markers markers) {
        this.cluster = cluster;
        this.markers = markers;
        this.thread = new Thread(this::loop, "scenario-roles");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running.get()) {
            for (String id : cluster.ids()) {
                Map<String, Object> v = cluster.view(id);
                String role = v == null ? "DOWN" : String.valueOf(v.get("role"));
                long epoch = v != null && v.get("epoch") instanceof Number n ? n.longValue() : -1;
                synchronized (this) {
                    samples.add(new Sample(System.nanoTime(), id, role, epoch));
                }
                String before = lastRole.put(id, role);
                if ("PRIMARY".equals(role) && before != null && !Objects.equals(before, role)) {
                    markers.add(id + " primary, epoch " + epoch, Markers.Kind.PROMOTION);
                }
            }
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.interrupt();
        thread.join(5_000);
    }
}
