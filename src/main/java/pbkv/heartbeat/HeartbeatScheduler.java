package pbkv.heartbeat;

import java.time.Clock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import pbkv.core.Replica;

/**
 * The heartbeat bean: passes the time to the replica every {@code heartbeat.tick} (default 10 ms).
 * The replica decides from that time what is due: a heartbeat every heartbeat.interval on the
 * primary, a campaign after failure.timeout of silence on a backup, expired proposals and writes.
 */
@Component
class HeartbeatScheduler {

    private final Replica replica;
    private final Clock clock;

    HeartbeatScheduler(Replica replica, Clock clock) {
        this.replica = replica;
        this.clock = clock;
    }

    @Scheduled(fixedRateString = "${heartbeat.tick:10ms}")
    void tick() {
        replica.tick(clock.instant());
    }
}
