package pbkv.core;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * A primary's client operations: the checks a write passes before it is appended (min-in-sync,
 * the bound on waiting operations, If-Match, the store's memory bounds), the append itself, and
 * a linearizable read. Both are answered through {@link Commit}, once what they wrote or saw is
 * committed.
 */
final class ClientOperations {

    private final ReplicaContext ctx;
    private final Commit commit;
    private final Lease lease;

    ClientOperations(ReplicaContext ctx, Commit commit, Lease lease) {
        this.ctx = ctx;
        this.commit = commit;
        this.lease = lease;
    }

    /** On the primary: a put ({@code value != null}) or delete, seeing every write appended before it. */
    CompletableFuture<Outcome> write(ClientWrite w, Configuration active, Instant now) {
        if (active.inSync().size() < ctx.settings.minInSync()) {
            ctx.stats.writesRejected.incrementAndGet();
            return done(new Outcome.Unavailable("in-sync set " + active.inSync() + " is smaller than replication.min-in-sync="
                    + ctx.settings.minInSync(), false));
        }
        if (commit.full()) {
            ctx.stats.writesRejected.incrementAndGet();
            return done(tooManyWaiting());
        }
        Versioned current = ctx.store.get(w.key());
        if (!w.matches(current)) {
            // A failed precondition is a read: answer it only once what it saw is committed.
            Outcome failed = new Outcome.PreconditionFailed(w.key(), current == null ? null : current.version());
            return commit.await(ctx.log.lastIndex(), false, failed, now);
        }
        if (w.value() == null && current == null) {
            return commit.await(ctx.log.lastIndex(), false, new Outcome.NotFound(w.key(), false), now);
        }
        // The memory bound: refused before it is appended, so nothing changes and no version is used.
        Outcome.StoreFull full = w.value() == null ? null
                : ctx.store.refusal(w.key(), w.value(), ctx.settings.maxKeys(), ctx.settings.maxMemoryBytes());
        if (full != null) {
            ctx.stats.writesRejected.incrementAndGet();
            return done(full);
        }
        LogEntry entry = new LogEntry(active.epoch(), ctx.log.lastIndex() + 1, w.key(), w.value());
        ctx.step.append(entry); // on disk before any acknowledgement: the commit rule counts the persisted index
        ctx.log.append(entry);
        ctx.store.apply(entry);
        Outcome result = w.value() == null ? new Outcome.NotFound(w.key(), true)
                : new Outcome.Value(w.key(), new Versioned(w.value(), entry.index()));
        return commit.await(entry.index(), true, result, now);
    }

    /** On the primary: a linearizable read, only under its lease, once what it read is committed. */
    CompletableFuture<Outcome> read(String key, Instant now) {
        if (!lease.holds(now)) {
            return done(Commit.leaseExpired());
        }
        if (commit.full()) {
            ctx.stats.readsRejected.incrementAndGet(); // a waiting read holds memory like a waiting write
            return done(tooManyWaiting());
        }
        Versioned current = ctx.store.get(key);
        Outcome outcome = current == null ? new Outcome.NotFound(key, false) : new Outcome.Value(key, current);
        return commit.await(ctx.log.lastIndex(), false, outcome, now);
    }

    private static CompletableFuture<Outcome> done(Outcome outcome) {
        return CompletableFuture.completedFuture(outcome);
    }

    private static Outcome tooManyWaiting() {
        return new Outcome.Unavailable("too many operations waiting for replication", false);
    }
}
