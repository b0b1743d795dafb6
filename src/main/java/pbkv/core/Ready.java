package pbkv.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What one step of the replica made, as etcd-raft's {@code Ready}: what to write to disk, what to
 * send, and the outcomes it decided. Steps run under the replica's lock and only describe these;
 * once the lock is released the caller writes them in step order, then sends and answers. So an
 * fsync never holds up other inputs, nothing goes out before what it depends on is on disk, and
 * a step whose write failed sends nothing.
 */
final class Ready {

    /** One write to the durable log, in log order. */
    sealed interface Write permits Append, Reset {
    }

    /** Entries appended to the log in this step (a list the step may still extend). */
    record Append(List<LogEntry> entries) implements Write {
    }

    /** The log replaced by a snapshot (a backup catching up). */
    record Reset(LogPosition position, List<SnapshotItem> items) implements Write {
    }

    record Outgoing(String to, PeerRequest request) {
    }

    record Decided(CompletableFuture<Outcome> future, Outcome outcome) {
    }

    final Instant now;
    final List<Write> writes;
    final List<Outgoing> outgoing;
    final List<Decided> decided;
    /** Set once its writes, or a write before them, failed: it sends nothing, it answers what it decided. */
    volatile boolean failed;

    Ready(Instant now, List<Write> writes, List<Outgoing> outgoing, List<Decided> decided) {
        this.now = now;
        this.writes = writes;
        this.outgoing = outgoing;
        this.decided = decided;
    }

    /** Collects one step's output under the replica's lock. */
    static final class Builder {
        private List<Write> writes = new ArrayList<>();
        private List<Outgoing> outgoing = new ArrayList<>();
        private List<Decided> decided = new ArrayList<>();

        void append(LogEntry entry) {
            if (!writes.isEmpty() && writes.get(writes.size() - 1) instanceof Append a) {
                a.entries().add(entry);
            } else {
                List<LogEntry> entries = new ArrayList<>();
                entries.add(entry);
                writes.add(new Append(entries));
            }
        }

        void reset(LogPosition position, List<SnapshotItem> items) {
            writes.add(new Reset(position, items));
        }

        void send(String to, PeerRequest request) {
            outgoing.add(new Outgoing(to, request));
        }

        void decide(CompletableFuture<Outcome> future, Outcome outcome) {
            decided.add(new Decided(future, outcome));
        }

        /** Drops the requests made so far: they may carry what never reached the disk. */
        void dropOutgoing() {
            outgoing.clear();
        }

        boolean isEmpty() {
            return writes.isEmpty() && outgoing.isEmpty() && decided.isEmpty();
        }

        Ready build(Instant now) {
            Ready ready = new Ready(now, writes, outgoing, decided);
            writes = new ArrayList<>();
            outgoing = new ArrayList<>();
            decided = new ArrayList<>();
            return ready;
        }
    }
}
