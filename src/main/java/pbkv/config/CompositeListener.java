package pbkv.config;

import java.time.Duration;
import java.util.List;
import pbkv.core.ReplicaEvent;
import pbkv.core.ReplicaListener;

/**
 * Hands each observation to every listener bean (metrics, the console's event log), in order.
 * The replica calls it under its lock, so each listener must be fast and must not call back.
 */
final class CompositeListener implements ReplicaListener {

    private final List<ReplicaListener> listeners;

    private CompositeListener(List<ReplicaListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    static ReplicaListener of(List<ReplicaListener> listeners) {
        return switch (listeners.size()) {
            case 0 -> ReplicaListener.NONE;
            case 1 -> listeners.get(0);
            default -> new CompositeListener(listeners);
        };
    }

    @Override
    public void onEvent(ReplicaEvent event) {
        for (ReplicaListener l : listeners) {
            l.onEvent(event);
        }
    }

    @Override
    public void onCommitLatency(Duration latency) {
        for (ReplicaListener l : listeners) {
            l.onCommitLatency(latency);
        }
    }

    @Override
    public void onBatchSent(int entries) {
        for (ReplicaListener l : listeners) {
            l.onBatchSent(entries);
        }
    }
}
