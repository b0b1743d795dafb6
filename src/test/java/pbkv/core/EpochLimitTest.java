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
 * Epochs only grow, so the largest one has no successor: a node whose promise is already at
 * Long.MAX_VALUE proposes nothing (and says so once) instead of overflowing into a negative epoch.
 */
class EpochLimitTest {

    private static final List<Member> MEMBERS = List.of(new Member("primary", false), new Member("backup", false),
            new Member("witness", true));
    private static final Configuration LAST = new Configuration(Long.MAX_VALUE, "primary", Set.of("primary", "backup"));

    private final List<PeerRequest> sent = new ArrayList<>();
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Replica backup = restartedBackupPromisedTheLastEpoch();

    @Test
    void aBackupWhosePrimaryIsSilentInTheLastEpochDoesNotCampaignAndSaysSoOnce() {
        tickFor(Duration.ofSeconds(5));

        assertThat(sent).as("no proposal beyond the last epoch").noneMatch(r -> r instanceof VoteRequest);
        assertThat(backup.role()).isEqualTo(Role.BACKUP);
        assertThat(backup.epoch()).isEqualTo(Long.MAX_VALUE);
        assertThat(backup.view(now).recentEvents()).as("reported once, not on every tick")
                .filteredOn(e -> e.line().contains("is the last there is")).hasSize(1);
    }

    @Test
    void anOperatorPromotionInTheLastEpochIsRefusedWithAReason() {
        String refusal = backup.forcePromote(now);

        assertThat(refusal).contains("no epoch after " + Long.MAX_VALUE);
        assertThat(sent).noneMatch(r -> r instanceof VoteRequest);
        assertThat(backup.role()).isEqualTo(Role.BACKUP);
    }

    /** A backup that ran before (its data dir holds data) and had promised the last epoch when it stopped. */
    private Replica restartedBackupPromisedTheLastEpoch() {
        ReplicaSettings settings = ReplicaSettings.defaults("backup", MEMBERS, "primary");
        VoterStore votes = new VoterStore.InMemory();
        SurvivingDurableLog disk = new SurvivingDurableLog();
        new Replica(settings, (to, request) -> { }, votes, disk, new Random(1), ReplicaListener.NONE, now);
        votes.save(new VoterState(Long.MAX_VALUE, LAST));
        return new Replica(settings, (to, request) -> sent.add(request), votes, disk, new Random(1), ReplicaListener.NONE, now);
    }

    private void tickFor(Duration duration) {
        Instant end = now.plus(duration);
        while (now.isBefore(end)) {
            now = now.plusMillis(10);
            backup.tick(now);
        }
    }
}
