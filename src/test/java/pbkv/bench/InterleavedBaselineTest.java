package pbkv.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** --interleave: baseline-single and a scenario measured in turn, each ratio to the baseline beside it. */
class InterleavedBaselineTest {

    private static ResultTable.Row row(String scenario, int clients, double opsPerSecond) {
        return new ResultTable.Row(scenario, clients, opsPerSecond, 1.0, 2.0, 3.0, 100, 0, Map.of(), Map.of(), Map.of(), 0);
    }

    private static ClosedLoopLoad.Measurement phase(double seconds, long... latenciesMicros) {
        Histogram h = new Histogram(3);
        for (long micros : latenciesMicros) {
            h.recordValue(micros);
        }
        return new ClosedLoopLoad.Measurement(64, seconds, h, 1, Map.of("HTTP 503", 1L));
    }

    @Test
    void roundsAlternateWhichSideGoesFirstSoThatASteadyDriftFavoursNeither() {
        assertThat(RunCommand.roundOrder(0)).containsExactly(true, false);
        assertThat(RunCommand.roundOrder(1)).containsExactly(false, true);
        assertThat(RunCommand.roundOrder(2)).containsExactly(true, false);
    }

    @Test
    void roundsOfOneLoadPoolTheirRequestsErrorsAndSeconds() {
        ClosedLoopLoad.Measurement pooled = ClosedLoopLoad.Measurement.merge(List.of(phase(10, 100, 200), phase(10, 300, 400, 500, 600)));

        assertThat(pooled.ok()).isEqualTo(6);
        assertThat(pooled.seconds()).isEqualTo(20);
        assertThat(pooled.opsPerSecond()).isEqualTo(0.3);
        assertThat(pooled.errors()).isEqualTo(2);
        assertThat(pooled.failures()).containsEntry("HTTP 503", 2L);
        assertThat(pooled.percentileMillis(50)).isEqualTo(0.3);
    }

    @Test
    void eachScenarioIsComparedWithTheBaselineMeasuredBesideItAndTheRoundsArePrinted() {
        ResultTable table = new ResultTable();
        ResultTable.Row fastPhaseBaseline = row("baseline-single", 64, 10_000);
        ResultTable.Row sync1 = row("sync-1", 64, 7_000);
        ResultTable.Row slowPhaseBaseline = row("baseline-single", 64, 8_000);
        ResultTable.Row sync2 = row("sync-2", 64, 5_000);
        for (ResultTable.Row r : List.of(fastPhaseBaseline, sync1, slowPhaseBaseline, sync2)) {
            table.add(r);
        }
        table.addRoundRatios(sync2, List.of(0.66, 0.6, 0.61));

        assertThat(table.throughputRatio(sync1)).isEqualTo(0.7);
        assertThat(table.throughputRatio(sync2)).isEqualTo(0.625);
        assertThat(table.throughputRatio(slowPhaseBaseline)).isEqualTo(1.0);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        table.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("sync-2 @64, throughput over baseline-single's round by round: 0.66 0.60 0.61 (min 0.60, median 0.61, max 0.66)");
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
