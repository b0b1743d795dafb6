package pbkv.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import pbkv.core.DurableLog;
import pbkv.core.LogEntry;
import pbkv.core.LogPosition;
import pbkv.core.SnapshotItem;

/**
 * A data dir for the simulation (disk mode), modelled on {@code FileDurableLog}: one record per
 * entry, a snapshot install replacing everything atomically. It keeps apart what the operating
 * system holds and what reached the device, so that the two ways a process dies differ as they
 * do on a machine:
 * <ul>
 *   <li>a process crash (kill -9) keeps every write: the OS has it;</li>
 *   <li>a power loss ({@link #loseUnsynced}) keeps what was synced, plus a random prefix of the
 *       rest: the OS writes dirty pages back on its own, at times we do not model, so any prefix
 *       may have made it. The record after that prefix may be torn; recovery cuts a torn record
 *       off by its CRC, so here it is simply not kept.</li>
 * </ul>
 * The fsync policy says what is synced: with NEVER only what the OS wrote back; with BATCH or
 * ALWAYS every write once append returns (the sim has no concurrent appends to batch, so the
 * two behave alike). A power loss during an append ({@link #failDuringNextAppend}) leaves that
 * append unsynced: a prefix of its entries may survive, none of them acknowledged.
 *
 * <p>Like a real data dir, it holds data from the first start on ({@code log.dat} is created by
 * the first recovery): {@link #recover} returns false only for a disk never started, or one whose
 * creation a power loss undid before it was synced.
 */
final class SimDisk implements DurableLog {

    enum Fsync { NEVER, BATCH, ALWAYS }

    /** Thrown out of an append the power failed during: the process is gone, nothing after it runs. */
    static final class PowerFailure extends RuntimeException {
        PowerFailure(String node) {
            super("the power failed at " + node + " during a disk write", null, false, false);
        }
    }

    private sealed interface Write permits Created, Appended, Reset {
    }

    /** The data dir's first segment, created by the first start. */
    private record Created() implements Write {
    }

    private record Appended(LogEntry entry) implements Write {
    }

    private record Reset(LogPosition position, List<SnapshotItem> items) implements Write {
    }

    private final String node;
    private final Fsync fsync;
    private final Random random;
    /** What the OS holds, in write order (from the last synced reset on: it supersedes everything before it). */
    private final List<Write> writes = new ArrayList<>();
    /** How many of {@link #writes} are on the device. */
    private int synced;
    private Runnable powerFailsDuringAppend;

    SimDisk(String node, Fsync fsync, Random random) {
        this.node = node;
        this.fsync = fsync;
        this.random = random;
    }

    Fsync fsync() {
        return fsync;
    }

    @Override
    public boolean recover(RecoverySink sink) {
        boolean hadData = !writes.isEmpty();
        int from = writes.size() - 1;
        while (from >= 0 && !(writes.get(from) instanceof Reset)) {
            from--;
        }
        LogPosition base = from >= 0 ? ((Reset) writes.get(from)).position() : LogPosition.ZERO;
        sink.base(base);
        if (from >= 0) {
            ((Reset) writes.get(from)).items().forEach(sink::snapshotItem);
        }
        for (Write w : writes.subList(from + 1, writes.size())) {
            if (w instanceof Appended a && a.entry().index() > base.index()) {
                sink.entry(a.entry());
            }
        }
        if (!hadData) {
            write(new Created());
        }
        return hadData;
    }

    @Override
    public void append(List<LogEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        entries.forEach(e -> writes.add(new Appended(e)));
        if (powerFailsDuringAppend != null) {
            // Handed to the OS, but the power fails before the append returns: nothing of it is synced.
            Runnable dies = powerFailsDuringAppend;
            powerFailsDuringAppend = null;
            dies.run();
            throw new PowerFailure(node);
        }
        sync();
    }

    @Override
    public void reset(LogPosition position, List<SnapshotItem> items) {
        if (fsync != Fsync.NEVER) {
            writes.clear(); // a synced snapshot supersedes everything before it (FileDurableLog deletes log.dat)
            synced = 0;
        }
        write(new Reset(position, List.copyOf(items)));
    }

    /** Arms a power loss that strikes during the next append; {@code dies} takes the node down (and calls {@link #loseUnsynced}). */
    void failDuringNextAppend(Runnable dies) {
        powerFailsDuringAppend = dies;
    }

    boolean powerLossArmed() {
        return powerFailsDuringAppend != null;
    }

    void disarm() {
        powerFailsDuringAppend = null;
    }

    /** The power fails: keeps what was synced and a random prefix of the rest. Returns what was lost, for the trace. */
    String loseUnsynced() {
        int unsynced = writes.size() - synced;
        int kept = random.nextInt(unsynced + 1);
        writes.subList(synced + kept, writes.size()).clear();
        synced = writes.size();
        return unsynced == 0 ? "nothing unsynced" : "kept " + kept + " of " + unsynced + " unsynced writes"
                + (kept < unsynced ? " (the next torn, cut off at recovery)" : "");
    }

    /** The last entry index this disk would recover, for the trace and tests. */
    long lastIndex() {
        long last = 0;
        for (Write w : writes) {
            if (w instanceof Reset r) {
                last = r.position().index();
            } else if (w instanceof Appended a) {
                last = a.entry().index();
            }
        }
        return last;
    }

    private void write(Write w) {
        writes.add(w);
        sync();
    }

    private void sync() {
        if (fsync != Fsync.NEVER) {
            synced = writes.size();
        }
    }
}
