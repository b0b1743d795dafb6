package pbkv.core;

import static pbkv.core.ReplicaContext.sorted;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The commit index and the client operations waiting for it. A write is acknowledged, and a read
 * (or a failed precondition, which is a read) answered, only once what it wrote or saw is
 * committed, so no client ever sees a write that a failover could lose.
 */
final class Commit {

    private static final String LEASE_EXPIRED = "primary lease expired: cannot prove it is still the primary";

    private final ReplicaContext ctx;
    private final Lease lease;
    private final Divergence divergence;
    private long index;
    private final TreeMap<Long, List<PendingOperation>> pending = new TreeMap<>();
    /** Bounded by replication.max-pending-operations: a waiting operation holds memory. */
    private int pendingCount;

    Commit(ReplicaContext ctx, Lease lease, Divergence divergence) {
        this.ctx = ctx;
        this.lease = lease;
        this.divergence = divergence;
    }

    long index() {
        return index;
    }

    boolean full() {
        return pendingCount >= ctx.settings.maxPendingOperations();
    }

    /**
     * The commit rule: an entry is committed once the primary's own disk holds it and every
     * member of the in-sync set (and of a proposed one, from the moment it is proposed, and every
     * joining backup) holds it. Below min-in-sync nothing commits. In async mode an entry counts
     * as committed once the primary's own disk holds it.
     */
    void advanceAsPrimary(Configuration active, Configuration proposed, Replication peers, long persistedIndex, Instant now) {
        long target = Math.min(ctx.log.lastIndex(), persistedIndex);
        if (ctx.settings.mode() == ReplicationMode.SYNC) {
            if (active.inSync().size() < ctx.settings.minInSync()) {
                return;
            }
            Set<String> holders = new HashSet<>(active.inSync());
            if (proposed != null) {
                holders.addAll(proposed.inSync());
            }
            holders.addAll(peers.joining());
            target = Math.min(target, peers.lowestMatchIndex(holders));
        }
        if (target > index) {
            index = target;
        }
        completePending(now);
    }

    /** A backup learns the commit index from its primary, up to what it holds itself. */
    void learn(long committed) {
        index = Math.max(index, committed);
    }

    /** A backup installed a snapshot: what it holds is exactly the snapshot. */
    void resetTo(long committed) {
        index = committed;
    }

    /** After reading the disk back: nothing beyond what the disk holds counts as committed here. */
    void truncateTo(long lastIndex) {
        index = Math.min(index, lastIndex);
    }

    /** Answers once {@code at} is committed; a write is acknowledged then (counted and timed). */
    CompletableFuture<Outcome> await(long at, boolean write, Outcome outcome, Instant now) {
        if (at <= index) {
            return CompletableFuture.completedFuture(write ? acknowledge(at, outcome, now, now) : outcome);
        }
        CompletableFuture<Outcome> future = new CompletableFuture<>();
        pending.computeIfAbsent(at, i -> new ArrayList<>(2))
                .add(new PendingOperation(at, write, outcome, now, now.plus(ctx.settings.writeTimeout()), future));
        pendingCount++;
        return future;
    }

    /** Every acknowledged write passes here once: counted, and its commit latency recorded. */
    private Outcome acknowledge(long at, Outcome outcome, Instant startedAt, Instant now) {
        ctx.stats.writesCommitted.incrementAndGet();
        divergence.acknowledged(at);
        // Callers read the clock before taking the lock, so `now` may precede startedAt.
        Duration latency = Duration.between(startedAt, now);
        ctx.listener.onCommitLatency(latency.isNegative() ? Duration.ZERO : latency);
        return outcome;
    }

    private void completePending(Instant now) {
        // A read is answered only under the lease: without it another primary may have written since.
        boolean leaseHeld = pending.isEmpty() || lease.holds(now);
        while (!pending.isEmpty() && pending.firstKey() <= index) {
            for (PendingOperation op : pending.pollFirstEntry().getValue()) {
                pendingCount--;
                if (op.write()) {
                    decide(op, acknowledge(op.index(), op.outcome(), op.startedAt(), now));
                } else {
                    decide(op, leaseHeld ? op.outcome() : leaseExpired());
                }
            }
        }
    }

    static Outcome.Unavailable leaseExpired() {
        return new Outcome.Unavailable(LEASE_EXPIRED, false);
    }

    /** Operations past their write.timeout: the outcome of a write is unknown, it may still commit. */
    void expire(Set<String> inSync, Instant now) {
        Iterator<Map.Entry<Long, List<PendingOperation>>> it = pending.entrySet().iterator();
        while (it.hasNext()) {
            List<PendingOperation> ops = it.next().getValue();
            ops.removeIf(op -> {
                if (now.isBefore(op.deadline())) {
                    return false;
                }
                pendingCount--;
                if (op.write()) {
                    ctx.stats.writesUnknown.incrementAndGet();
                }
                decide(op, new Outcome.Unavailable("not replicated to the in-sync set " + sorted(inSync)
                        + " within " + ctx.settings.writeTimeout().toMillis() + " ms", op.write()));
                return true;
            });
            if (ops.isEmpty()) {
                it.remove();
            }
        }
    }

    /** A primary stepping down answers everything waiting: the writes' outcome is unknown. */
    void failAll(String reason) {
        for (List<PendingOperation> ops : pending.values()) {
            for (PendingOperation op : ops) {
                if (op.write()) {
                    ctx.stats.writesUnknown.incrementAndGet();
                }
                // The entry was replicated to some backups: a new primary may still commit it.
                decide(op, new Outcome.Unavailable(reason, op.write()));
            }
        }
        pending.clear();
        pendingCount = 0;
    }

    /** Under the lock the outcome is final; its future is completed once the lock is released. */
    private void decide(PendingOperation op, Outcome outcome) {
        ctx.step.decide(op.future(), outcome);
    }
}
