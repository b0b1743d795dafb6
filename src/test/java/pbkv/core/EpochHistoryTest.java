package pbkv.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EpochHistoryTest {

    private static ReplicationLog logWithEpochs(long... epochs) {
        ReplicationLog log = new ReplicationLog(1000);
        for (int i = 0; i < epochs.length; i++) {
            log.append(new LogEntry(epochs[i], i + 1, "k", "v"));
        }
        return log;
    }

    @Test
    void runsStartWhereTheEpochChanges() {
        EpochHistory history = EpochHistory.of(logWithEpochs(1, 1, 1, 3, 3, 4));
        assertThat(history.starts()).containsExactly(LogPosition.ZERO, new LogPosition(1, 1), new LogPosition(3, 4),
                new LogPosition(4, 6));
        assertThat(history.epochAt(3)).hasValue(1);
        assertThat(history.epochAt(4)).hasValue(3);
        assertThat(history.epochAt(5)).hasValue(3);
        assertThat(history.epochAt(99)).hasValue(4);
    }

    @Test
    void indicesBeforeTheRetainedLogAreUnknown() {
        ReplicationLog log = new ReplicationLog(3);
        for (int i = 1; i <= 6; i++) {
            log.append(new LogEntry(i < 5 ? 1 : 2, i, "k", "v"));
        }
        EpochHistory history = EpochHistory.of(log);
        assertThat(history.epochAt(3)).hasValue(1); // the base: the entry just before the retained tail
        assertThat(history.epochAt(2)).isEmpty();
        assertThat(history.epochAt(5)).hasValue(2);
    }

    @Test
    void aLogOfManyEpochsTellsOnlyItsLatestRuns() {
        long[] epochs = new long[EpochHistory.MAX_RUNS + 10];
        for (int i = 0; i < epochs.length; i++) {
            epochs[i] = i + 1;
        }
        EpochHistory history = EpochHistory.of(logWithEpochs(epochs));
        assertThat(history.starts()).hasSize(EpochHistory.MAX_RUNS);
        assertThat(history.epochAt(epochs.length)).hasValue(epochs.length);
        assertThat(history.epochAt(5)).isEmpty();
    }

    @Test
    void nodesOfDisjointEpochSlotsNeverProposeTheSameEpoch() {
        assertThat(Epoch.after(2, 0, 2)).hasValue(4);
        assertThat(Epoch.after(2, 1, 2)).hasValue(3);
        assertThat(Epoch.after(3, 0, 2)).hasValue(4);
        assertThat(Epoch.after(3, 1, 2)).hasValue(5);
        assertThat(Epoch.after(7, 0, 1)).hasValue(8);
        assertThat(Epoch.after(Long.MAX_VALUE - 1, 0, 2)).isEmpty(); // MAX_VALUE is odd: no even epoch after it
        assertThat(Epoch.after(Long.MAX_VALUE - 1, 1, 2)).hasValue(Long.MAX_VALUE);
    }

    @Test
    void aMissingHistoryKnowsNothing() {
        assertThat(new EpochHistory(null).epochAt(1)).isEmpty();
        assertThat(EpochHistory.UNKNOWN.starts()).isEqualTo(List.of());
    }
}
