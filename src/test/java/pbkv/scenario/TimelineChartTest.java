package pbkv.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Marker labels on the timeline: events close together get their own text rows. */
class TimelineChartTest {

    @Test
    void labelsFarApartShareTheTopRow() {
        assertThat(TimelineChart.labelRows(List.of(1.0, 5.0, 9.0), List.of(1.0, 1.0, 1.0), 20)).containsExactly(0, 0, 0);
    }

    @Test
    void labelsThatWouldOverlapAreStaggered() {
        assertThat(TimelineChart.labelRows(List.of(1.0, 1.5, 2.0, 3.5), List.of(1.2, 1.2, 1.2, 1.2), 20))
                .containsExactly(0, 1, 2, 0);
    }

    @Test
    void aLabelNearTheEndIsDrawnLeftOfItsLineAndStaggeredAgainstThatSpan() {
        // 9.5 + 2 runs past 10, so it spans 7.5 .. 9.5 and overlaps the label at 7.0 .. 9.0.
        assertThat(TimelineChart.labelRows(List.of(7.0, 9.5), List.of(2.0, 2.0), 10)).containsExactly(0, 1);
    }

    @Test
    void moreCloseLabelsThanRowsStartOverAtTheTop() {
        List<Double> at = List.of(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0);
        List<Double> widths = List.of(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0);
        assertThat(TimelineChart.labelRows(at, widths, 20)).containsExactly(0, 1, 2, 3, 4, 5, 0);
    }
}
