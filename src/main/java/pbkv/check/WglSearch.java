package pbkv.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Wing-Gong-Lowe search for one key, as in Porcupine's {@code checker.go}.
 *
 * <p>Call and return events sit in one time-ordered doubly linked list. The search walks the
 * list from the front: a call it can apply to the model is linearized and "lifted" out of the
 * list together with its return, and the walk restarts from the front. Reaching a return event
 * means the operation it belongs to can no longer be placed, so the search backtracks: it
 * restores the last lifted operation and tries the next candidate. A cache of (set of
 * linearized operations, model state) pairs prunes configurations that were already explored.
 */
final class WglSearch<S> {

    /** What the search concluded for one key; {@code violation} is set for NOT_LINEARIZABLE. */
    record Result(Verdict verdict, Violation violation) {
    }

    /** A call or return event in the linked list; the head sentinel has no operation. */
    private static final class Entry {
        final Operation op;
        final int id;
        final boolean call;
        Entry match;
        Entry prev;
        Entry next;

        Entry(Operation op, int id, boolean call) {
            this.op = op;
            this.id = id;
            this.call = call;
        }
    }

    /** A visited configuration; {@code linearized} is never mutated once cached. */
    private record Visited(long[] linearized, Object state, int hash) {
        Visited(long[] linearized, Object state) {
            this(linearized, state, 31 * Arrays.hashCode(linearized) + state.hashCode());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Visited v && hash == v.hash && Arrays.equals(linearized, v.linearized)
                    && state.equals(v.state);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final Model<S> model;
    private final String key;
    private final List<Operation> ops;
    private final Deadline deadline;

    private final Entry head = new Entry(null, -1, false);
    private final Entry[] stackEntries;
    private final List<S> stackStates;
    private final long[] linearized;
    private final Set<Visited> cache = new HashSet<>();
    private Violation violation;

    private WglSearch(Model<S> model, String key, List<Operation> ops, Deadline deadline) {
        this.model = model;
        this.key = key;
        this.ops = ops;
        this.deadline = deadline;
        this.stackEntries = new Entry[ops.size()];
        this.stackStates = new ArrayList<>(ops.size());
        this.linearized = new long[(ops.size() + 63) / 64];
    }

    static <S> Result run(Model<S> model, String key, List<Operation> ops, Deadline deadline) {
        return new WglSearch<>(model, key, ops, deadline).search();
    }

    private Result search() {
        buildList();
        // Operations with unknown outcome can always go last, so once every other operation
        // is placed the rest is linearizable too.
        int definiteLeft = (int) ops.stream().filter(op -> op.outcome() != Completion.UNKNOWN).count();
        int depth = 0;
        S state = model.initialState();
        Entry entry = head.next;
        while (definiteLeft > 0) {
            if (deadline.expired()) {
                return new Result(Verdict.UNKNOWN, null);
            }
            if (entry.call) {
                S next = model.step(state, entry.op);
                if (next != null && cache.add(new Visited(withBit(entry.id), next))) {
                    stackEntries[depth++] = entry;
                    stackStates.add(state);
                    state = next;
                    flip(entry.id);
                    lift(entry);
                    definiteLeft -= entry.op.outcome() == Completion.UNKNOWN ? 0 : 1;
                    entry = head.next;
                } else {
                    entry = entry.next;
                }
            } else {
                if (violation == null || depth > violation.prefix().size()) {
                    violation = explain(depth, state, entry);
                }
                if (depth == 0) {
                    return new Result(Verdict.NOT_LINEARIZABLE, violation);
                }
                entry = stackEntries[--depth];
                state = stackStates.remove(depth);
                flip(entry.id);
                unlift(entry);
                definiteLeft += entry.op.outcome() == Completion.UNKNOWN ? 0 : 1;
                entry = entry.next;
            }
        }
        return new Result(Verdict.LINEARIZABLE, null);
    }

    /** Events in time order; at equal times calls go first, so touching operations count as concurrent. */
    private void buildList() {
        List<Entry> events = new ArrayList<>(2 * ops.size());
        for (int id = 0; id < ops.size(); id++) {
            Entry call = new Entry(ops.get(id), id, true);
            Entry ret = new Entry(ops.get(id), id, false);
            call.match = ret;
            events.add(call);
            events.add(ret);
        }
        events.sort(Comparator.<Entry>comparingLong(WglSearch::time)
                .thenComparing(e -> !e.call)
                .thenComparingInt(e -> e.id));
        Entry last = head;
        for (Entry e : events) {
            last.next = e;
            e.prev = last;
            last = e;
        }
    }

    private static long time(Entry e) {
        if (e.call) {
            return e.op.callTime();
        }
        return e.op.outcome() == Completion.UNKNOWN ? Long.MAX_VALUE : e.op.returnTime();
    }

    private long[] withBit(int id) {
        long[] copy = linearized.clone();
        copy[id >>> 6] |= 1L << id;
        return copy;
    }

    private void flip(int id) {
        linearized[id >>> 6] ^= 1L << id;
    }

    /** Removes a call and its return from the list; the entries keep their links for unlift. */
    private static void lift(Entry call) {
        call.prev.next = call.next;
        call.next.prev = call.prev;
        Entry ret = call.match;
        ret.prev.next = ret.next;
        if (ret.next != null) {
            ret.next.prev = ret.prev;
        }
    }

    /** Puts back what {@link #lift} removed, in reverse order. */
    private static void unlift(Entry call) {
        Entry ret = call.match;
        ret.prev.next = ret;
        if (ret.next != null) {
            ret.next.prev = ret;
        }
        call.prev.next = call;
        call.next.prev = call;
    }

    /** Snapshot of a dead end: the placed operations, and the candidates before {@code stuck}. */
    private Violation explain(int depth, S state, Entry stuck) {
        List<Operation> prefix = new ArrayList<>(depth);
        for (int i = 0; i < depth; i++) {
            prefix.add(stackEntries[i].op);
        }
        List<Operation> candidates = new ArrayList<>();
        for (Entry e = head.next; e != stuck; e = e.next) {
            if (e.call) {
                candidates.add(e.op);
            }
        }
        return new Violation(key, ops.size(), prefix, model.describe(state), candidates, stuck.op);
    }
}
