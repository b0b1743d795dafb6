package pbkv.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The step-down rule: a primary that learns of a newer epoch stops acting at once. Whether it
 * also follows that configuration depends on whether the configuration is known to have won.
 */
class StepDownTest {

    private static final List<Member> MEMBERS = List.of(new Member("primary", false), new Member("backup", false),
            new Member("witness", true));

    private final List<PeerRequest> sent = new ArrayList<>();
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Replica primary = new Replica(ReplicaSettings.defaults("primary", MEMBERS, "primary"),
            (to, request) -> sent.add(request), new VoterStore.InMemory(), new Random(1), ReplicaListener.NONE, now);

    @Test
    void aPrimaryRefusedForAMerePromiseStepsDownButMayCampaignAgain() {
        // The backup's own proposal for epoch 2, which only the backup accepted: it may have lost.
        Configuration promise = new Configuration(2, "backup", Set.of("backup"));
        primary.onReply(new ReplicateReply("backup", 99, ReplicateReply.Status.STALE_EPOCH, 0, LogPosition.ZERO, promise), now);

        assertThat(primary.role()).as("not primary, not stale either").isEqualTo(Role.BACKUP);
        assertThat(primary.view(now).promisedEpoch()).as("never votes for epoch 2 or older").isEqualTo(2);

        sent.clear();
        tickFor(Duration.ofSeconds(3));
        assertThat(sent).as("it campaigns for an epoch beyond the promise")
                .anySatisfy(r -> assertThat(r).isInstanceOfSatisfying(VoteRequest.class,
                        v -> assertThat(v.proposal().epoch()).isEqualTo(3)));
    }

    @Test
    void aPrimaryRefusedForAWonConfigurationFollowsItAsStale() {
        // The witness accepted the backup's proposal: with the backup's own vote that is a majority.
        Configuration won = new Configuration(2, "backup", Set.of("backup"));
        primary.onReply(new ReplicateReply("witness", 99, ReplicateReply.Status.STALE_EPOCH, 0, LogPosition.ZERO, won), now);

        assertThat(primary.role()).as("left out of the won in-sync set").isEqualTo(Role.STALE);
        assertThat(primary.epoch()).isEqualTo(2);

        sent.clear();
        tickFor(Duration.ofSeconds(3));
        assertThat(sent).as("a stale node never campaigns").noneMatch(r -> r instanceof VoteRequest);
    }

    private void tickFor(Duration duration) {
        Instant end = now.plus(duration);
        while (now.isBefore(end)) {
            now = now.plusMillis(10);
            primary.tick(now);
        }
    }
}
