package pbkv.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** --paired-baseline: a baseline next to each scenario, and each ratio to the one measured just before it. */
class PairedBaselineTest {

    private static ResultTable.Row row(String scenario, int clients, double opsPerSecond) {
        return new ResultTable.Row(scenario, clients, opsPerSecond, 1.0, 2.0, 3.0, 100, 0, Map.of(), Map.of(), Map.of(), 0);
    }

    @Test
    void eachScenarioRunsRightAfterABaselineOfItsOwn() {
        List<Scenario> asked = List.of(Scenario.BASELINE_SINGLE, Scenario.SYNC_1, Scenario.SYNC_2);

        assertThat(RunCommand.order(asked, true)).containsExactly(Scenario.BASELINE_SINGLE, Scenario.SYNC_1,
                Scenario.BASELINE_SINGLE, Scenario.SYNC_2);
        assertThat(RunCommand.order(List.of(Scenario.SYNC_2), true)).containsExactly(Scenario.BASELINE_SINGLE, Scenario.SYNC_2);
        assertThat(RunCommand.order(asked, false)).isEqualTo(asked);
    }

    @Test
    void aRatioIsToTheBaselineMeasuredLastBeforeIt() {
        ResultTable table = new ResultTable();
        ResultTable.Row fastPhaseBaseline = row("baseline-single", 64, 10_000);
        ResultTable.Row sync1 = row("sync-1", 64, 7_000);
        ResultTable.Row slowPhaseBaseline = row("baseline-single", 64, 8_000);
        ResultTable.Row sync2 = row("sync-2", 64, 5_000);
        for (ResultTable.Row r : List.of(fastPhaseBaseline, sync1, slowPhaseBaseline, sync2)) {
            table.add(r);
        }

        assertThat(table.throughputRatio(sync1)).isEqualTo(0.7);
        assertThat(table.throughputRatio(sync2)).isEqualTo(0.625);
        assertThat(table.throughputRatio(slowPhaseBaseline)).isEqualTo(1.0);
    }

    @Test
    void withoutABaselineBeforeItARowUsesTheRunsFirstBaseline() {
        ResultTable table = new ResultTable();
        ResultTable.Row sync1 = row("sync-1", 16, 3_000);
        table.add(sync1);
        table.add(row("baseline-single", 16, 6_000));
        table.add(row("baseline-single", 64, 9_000));

        assertThat(table.throughputRatio(sync1)).isEqualTo(0.5);
    }
}
