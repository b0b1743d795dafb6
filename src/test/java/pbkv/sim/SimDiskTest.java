package pbkv.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import pbkv.core.DurableLog;
import pbkv.core.LogEntry;
import pbkv.core.LogPosition;
import pbkv.core.SnapshotItem;

/** The simulated disk keeps what a machine's would: everything across kill -9, only what was synced across a power loss. */
class SimDiskTest {

    /** What one recovery streamed. */
    private static final class Recovered implements DurableLog.RecoverySink {
        LogPosition base;
        final List<SnapshotItem> items = new ArrayList<>();
        final List<Long> indices = new ArrayList<>();
        boolean hadData;

        @Override
        public void base(LogPosition position) {
            base = position;
        }

        @Override
        public void snapshotItem(SnapshotItem item) {
            items.add(item);
        }

        @Override
        public void entry(LogEntry entry) {
            indices.add(entry.index());
        }
    }

    /** A random whose every bounded draw is {@code value} (capped by the bound): the power loss keeps that many unsynced writes. */
    private static Random keeping(int value) {
        return new Random(0) {
            @Override
            public int nextInt(int bound) {
                return Math.min(value, bound - 1);
            }
        };
    }

    private static Recovered recover(SimDisk disk) {
        Recovered r = new Recovered();
        r.hadData = disk.recover(r);
        return r;
    }

    private static void append(SimDisk disk, long from, long to) {
        List<LogEntry> entries = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            entries.add(new LogEntry(1, i, "k", "v" + i));
        }
        disk.append(entries);
    }

    @Test
    void aDiskHoldsDataFromItsFirstStartOn() {
        SimDisk disk = new SimDisk("n", SimDisk.Fsync.ALWAYS, new Random(1));
        assertThat(recover(disk).hadData).as("a new data dir").isFalse();
        assertThat(recover(disk).hadData).as("restarted: its first segment exists").isTrue();
    }

    @Test
    void aProcessCrashKeepsEveryWriteEvenWithoutFsync() {
        SimDisk disk = new SimDisk("n", SimDisk.Fsync.NEVER, new Random(1));
        recover(disk);
        append(disk, 1, 3);
        Recovered r = recover(disk);
        assertThat(r.hadData).isTrue();
        assertThat(r.indices).containsExactly(1L, 2L, 3L);
    }

    @Test
    void withFsyncAPowerLossKeepsEveryWriteThatReturned() {
        SimDisk disk = new SimDisk("n", SimDisk.Fsync.BATCH, keeping(0));
        recover(disk);
        append(disk, 1, 3);
        disk.loseUnsynced();
        assertThat(recover(disk).indices).containsExactly(1L, 2L, 3L);
    }

    @Test
    void withoutFsyncAPowerLossMayUndoEveryWriteAndTheDataDirItself() {
        SimDisk disk = new SimDisk("n", SimDisk.Fsync.NEVER, keeping(0));
        recover(disk);
        append(disk, 1, 3);
        assertThat(disk.loseUnsynced()).isEqualTo("kept 0 of 4 unsynced writes (the next torn, cut off at recovery)");
        Recovered r = recover(disk);
        assertThat(r.hadData).as("the first segment's creation was never synced").isFalse();
        assertThat(r.indices).isEmpty();
    }

    @Test
    void withoutFsyncAPowerLossKeepsAPrefixOfTheUnsyncedWrites() {
        SimDisk disk = new SimDisk("n", SimDisk.Fsync.NEVER, keeping(3));
        recover(disk);
        append(disk, 1, 5);
        disk.loseUnsynced();
        Recovered r = recover(disk);
        assertThat(r.hadData).isTrue();
        assertThat(r.indices).containsExactly(1L, 2L);
    }

    @Test
    void aPowerLossDuringAnAppendKeepsWhatWasSyncedAndPerhapsAPrefixOfThatAppend() {
        SimDisk disk = new SimDisk("n", SimDisk.Fsync.ALWAYS, keeping(1));
        recover(disk);
        append(disk, 1, 2);
        List<String> died = new ArrayList<>();
        disk.failDuringNextAppend(() -> died.add(disk.loseUnsynced()));
        assertThatThrownBy(() -> append(disk, 3, 5)).isInstanceOf(SimDisk.PowerFailure.class);
        assertThat(died).containsExactly("kept 1 of 3 unsynced writes (the next torn, cut off at recovery)");
        assertThat(disk.powerLossArmed()).isFalse();
        assertThat(recover(disk).indices).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aSnapshotReplacesEverythingBeforeIt() {
        SimDisk disk = new SimDisk("n", SimDisk.Fsync.ALWAYS, new Random(1));
        recover(disk);
        append(disk, 1, 4);
        disk.reset(new LogPosition(2, 10), List.of(new SnapshotItem("k", "v10", 10)));
        disk.append(List.of(new LogEntry(2, 11, "k", "v11")));
        Recovered r = recover(disk);
        assertThat(r.base).isEqualTo(new LogPosition(2, 10));
        assertThat(r.items).containsExactly(new SnapshotItem("k", "v10", 10));
        assertThat(r.indices).containsExactly(11L);
        assertThat(disk.lastIndex()).isEqualTo(11);
    }
}
