package pbkv.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import pbkv.config.ConsoleProperties;
import pbkv.core.ReplicaEvent;

class EventLogTest {

    private static final Instant BOOT = Instant.parse("2026-12-03T12:00:00Z");
    private final EventLog log = new EventLog(new ConsoleProperties(List.of(), 3, 4, Duration.ofMinutes(1)),
            Clock.fixed(BOOT, ZoneOffset.UTC));

    @Test
    void idsIncreaseAndOnlyTheNewestEventsAreKept() {
        for (int i = 0; i < 5; i++) {
            log.onEvent(event("e" + i));
        }
        List<EventLog.Entry> kept = log.after(0);
        assertThat(kept).extracting(e -> e.event().line()).containsExactly("e2", "e3", "e4");
        assertThat(kept).extracting(EventLog.Entry::id).isSorted().doesNotHaveDuplicates();
        assertThat(kept.get(2).id()).isEqualTo(log.lastId());
    }

    @Test
    void resumingAfterAKeptIdReturnsOnlyLaterEvents() {
        log.onEvent(event("a"));
        log.onEvent(event("b"));
        long a = log.after(0).get(0).id();
        assertThat(log.after(a)).extracting(e -> e.event().line()).containsExactly("b");
        assertThat(log.after(log.lastId())).isEmpty();
    }

    @Test
    void anIdThisLogNeverIssuedOrNoLongerKeepsReplaysEverythingKept() {
        for (int i = 0; i < 5; i++) {
            log.onEvent(event("e" + i));
        }
        assertThat(log.after(log.lastId() + 1_000_000)).hasSize(3);
        assertThat(log.after(log.lastId() - 4)).hasSize(3);
    }

    @Test
    void idsOfALaterLifeExceedThoseOfAnEarlierOne() {
        log.onEvent(event("before restart"));
        EventLog restarted = new EventLog(new ConsoleProperties(List.of(), 3, 4, Duration.ofMinutes(1)),
                Clock.fixed(BOOT.plusSeconds(5), ZoneOffset.UTC));
        restarted.onEvent(event("after restart"));
        assertThat(restarted.lastId()).isGreaterThan(log.lastId());
    }

    @Test
    void everyAppendSignalsAndCommitLatenciesAreDrainedOnce() {
        AtomicInteger signals = new AtomicInteger();
        log.onAppend(signals::incrementAndGet);
        log.onEvent(event("x"));
        log.onCommitLatency(Duration.ofMillis(2));
        log.onCommitLatency(Duration.ofMillis(4));
        assertThat(signals).hasValue(1);
        EventLog.WriteStats stats = log.drainStats();
        assertThat(stats.writes()).isEqualTo(2);
        assertThat(stats.latencySumNanos()).isEqualTo(Duration.ofMillis(6).toNanos());
        assertThat(stats.latencyMaxNanos()).isEqualTo(Duration.ofMillis(4).toNanos());
        assertThat(log.drainStats().writes()).isZero();
    }

    private static ReplicaEvent event(String line) {
        return new ReplicaEvent(BOOT, "role", line);
    }
}
