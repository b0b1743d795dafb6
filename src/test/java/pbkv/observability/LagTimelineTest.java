package pbkv.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LagTimelineTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aPeerThatLacksNothingIsZeroSecondsBehind() {
        LagTimeline timeline = new LagTimeline();
        timeline.record(T0, 10);
        assertThat(timeline.secondsBehind(10, 0, T0.plusSeconds(30))).isZero();
    }

    @Test
    void aPeerIsBehindByTheAgeOfTheFirstEntryItLacks() {
        LagTimeline timeline = new LagTimeline();
        timeline.record(T0, 10);
        timeline.record(T0.plusSeconds(5), 20);
        timeline.record(T0.plusSeconds(9), 30);
        // the peer holds 15: the log first held 16..20 at T0+5
        assertThat(timeline.secondsBehind(15, 15, T0.plusSeconds(12))).isEqualTo(7.0);
        // the peer holds 5: the oldest sample already held 6..10
        assertThat(timeline.secondsBehind(5, 25, T0.plusSeconds(12))).isEqualTo(12.0);
    }

    @Test
    void aTruncatedLogStartsTheTimelineAfresh() {
        LagTimeline timeline = new LagTimeline();
        timeline.record(T0, 50);
        timeline.record(T0.plusSeconds(10), 40);
        assertThat(timeline.secondsBehind(30, 10, T0.plusSeconds(11))).isEqualTo(1.0);
    }

    @Test
    void aFullTimelineKeepsItsOldestSampleAndStaysBounded() {
        LagTimeline timeline = new LagTimeline();
        for (int i = 1; i <= 3 * LagTimeline.MAX_SAMPLES; i++) {
            timeline.record(T0.plusSeconds(i), i);
        }
        int last = 3 * LagTimeline.MAX_SAMPLES;
        assertThat(timeline.secondsBehind(0, last, T0.plusSeconds(last))).isEqualTo(last - 1.0);
        assertThat(timeline.size()).isLessThanOrEqualTo(LagTimeline.MAX_SAMPLES);
    }
}
