package pbkv.web;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.stereotype.Component;
import pbkv.core.ClientWrite;
import pbkv.core.Outcome;
import pbkv.core.Replica;

/**
 * Combines concurrent client writes into one {@link Replica#writeAll} call (flat combining).
 * Every request thread queues its write; whichever finds no other thread combining becomes the
 * combiner and hands everything queued to the replica at once, while the others only take their
 * result's future (answered by {@link PendingAnswers} when it completes). Under load the
 * replica's lock is then taken once per group instead of once per write by each of dozens of
 * request threads, which on a 2-core machine would queue on the lock behind a holder the
 * scheduler preempted, each paying a sleep and a wake-up. A lone write is written at once by
 * its own thread: no extra thread, no hand-off. The queue needs no bound of
 * its own: a connection has one request at a time, so it holds at most one write per open
 * connection (server.tomcat.max-connections), and the combiner drains it into the replica, which
 * refuses writes beyond replication.max-pending-operations. A combiner keeps combining while
 * writes keep arriving; its own reply waits meanwhile, a few microseconds per write handed over.
 */
@Component
class WriteCombiner {

    /** A bound on one group, so that one call to the replica stays short. */
    static final int MAX_GROUP = 512;

    private record Queued(ClientWrite write, CompletableFuture<Outcome> result) {
    }

    private final Replica replica;
    private final Clock clock;
    private final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean combining = new AtomicBoolean();

    WriteCombiner(Replica replica, Clock clock) {
        this.replica = replica;
        this.clock = clock;
    }

    /** Writes queued and not yet handed to the replica (a test's window on the combining). */
    int queued() {
        return queue.size();
    }

    CompletableFuture<Outcome> write(ClientWrite write) {
        Queued mine = new Queued(write, new CompletableFuture<>());
        queue.add(mine);
        // Whoever combines re-checks the queue after letting go, so no write is left behind:
        // a write queued while another thread combines is either taken by it or by this loop.
        while (!queue.isEmpty() && combining.compareAndSet(false, true)) {
            try {
                combineQueued();
            } finally {
                combining.set(false);
            }
        }
        return mine.result();
    }

    private void combineQueued() {
        List<Queued> group = new ArrayList<>();
        Queued next;
        while (group.size() < MAX_GROUP && (next = queue.poll()) != null) {
            group.add(next);
        }
        if (group.isEmpty()) {
            return;
        }
        List<CompletableFuture<Outcome>> outcomes;
        try {
            outcomes = replica.writeAll(group.stream().map(Queued::write).toList(), clock.instant());
        } catch (RuntimeException | Error bug) {
            group.forEach(q -> q.result().completeExceptionally(bug));
            throw bug;
        }
        for (int i = 0; i < group.size(); i++) {
            CompletableFuture<Outcome> result = group.get(i).result();
            outcomes.get(i).whenComplete((outcome, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(outcome);
                }
            });
        }
    }
}
