package pbkv.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Epochs fence a deposed primary; voters never vote twice in one epoch. */
class FencingTest {

    @Test
    void isolatedOldPrimaryNeverAcknowledgesAWriteAndStepsDownWhenTheLinkHeals() {
        SimulatedCluster c = SimulatedCluster.threeNodes(21);
        c.run(Duration.ofMillis(500));
        c.isolate("primary");
        CompletableFuture<Outcome> zombieWrite = c.put("primary", "k", "from-old-primary");
        assertThat(c.runUntil(() -> c.node("backup").role() == Role.PRIMARY, Duration.ofSeconds(3))).isTrue();
        CompletableFuture<Outcome> newWrite = c.put("backup", "k", "from-new-primary");
        c.run(Duration.ofMillis(200));
        assertThat(newWrite.join()).isInstanceOf(Outcome.Value.class);
        c.run(Duration.ofSeconds(3));
        // The old primary could not reach its in-sync backup: its write was never acknowledged.
        assertThat(zombieWrite.join()).isInstanceOfSatisfying(Outcome.Unavailable.class,
                u -> assertThat(u.outcomeUnknown()).isTrue());
        c.heal();
        assertThat(c.runUntil(() -> c.node("primary").role() != Role.PRIMARY, Duration.ofSeconds(2))).isTrue();
        assertThat(c.primaries()).containsExactly("backup");
        // It rejoins: its unacknowledged tail is discarded and it catches up to the new primary.
        boolean rejoined = c.runUntil(() -> c.node("primary").role() == Role.BACKUP && c.node("backup").view(c.now()).inSync().contains("primary")
                && c.node("primary").readLocal("k") != null && "from-new-primary".equals(c.node("primary").readLocal("k").value()), Duration.ofSeconds(5));
        if (!rejoined) {
            for (String id : List.of("primary", "backup", "witness")) {
                c.node(id).view(c.now()).recentEvents().forEach(e -> System.out.println(e.at() + " " + e.line()));
            }
        }
        assertThat(rejoined).isTrue();
        assertThat(c.node("primary").readLocal("k").value()).isEqualTo("from-new-primary");
    }

    @Test
    void pausedPrimaryResumesAndStepsDownWithoutAcknowledgingInTheOldEpoch() {
        SimulatedCluster c = SimulatedCluster.threeNodes(22);
        c.run(Duration.ofMillis(500));
        CompletableFuture<Outcome> acked = c.put("primary", "a", "1");
        c.run(Duration.ofMillis(50));
        assertThat(acked.join()).isInstanceOf(Outcome.Value.class);
        c.pause("primary");
        assertThat(c.runUntil(() -> c.node("backup").role() == Role.PRIMARY, Duration.ofSeconds(3))).isTrue();
        c.resume("primary");
        CompletableFuture<Outcome> late = c.node("primary").write("a", "2", null, c.now());
        c.run(Duration.ofSeconds(1));
        assertThat(late.join()).isNotInstanceOf(Outcome.Value.class);
        assertThat(c.primaries()).containsExactly("backup");
        assertThat(c.node("backup").readLocal("a").value()).isEqualTo("1");
    }

    @Test
    void voterRefusesASecondProposalForTheSameEpochEvenAfterARestart() {
        VoterStore disk = new VoterStore.InMemory();
        Configuration genesis = Configuration.genesis("primary");
        Voter voter = new Voter(disk, genesis);
        Voter.Situation quiet = new Voter.Situation(false, LogPosition.ZERO, false, false);
        VoteRequest first = new VoteRequest("backup", 1, new Configuration(2, "backup", Set.of("backup")), LogPosition.ZERO, false, false);
        genesisWithBackup(voter);
        assertThat(voter.refusal(first, quiet)).isNull();
        voter.accept(first.proposal());

        Voter restarted = new Voter(disk, genesis);
        VoteRequest rival = new VoteRequest("backup2", 2, new Configuration(2, "backup2", Set.of("backup2")), LogPosition.ZERO, false, false);
        assertThat(restarted.refusal(rival, quiet)).contains("not newer than promised epoch 2");
        assertThat(restarted.restarted()).isTrue();
    }

    @Test
    void voterRefusesACandidateOutsideTheInSyncSetOrWhoseLogIsBehindItsOwn() {
        Voter voter = new Voter(new VoterStore.InMemory(), Configuration.genesis("primary"));
        genesisWithBackup(voter);
        Voter.Situation dataNode = new Voter.Situation(true, new LogPosition(2, 10), false, false);
        VoteRequest outsider = new VoteRequest("backup2", 1, new Configuration(3, "backup2", Set.of("backup2")), new LogPosition(1, 10), false, false);
        assertThat(voter.refusal(outsider, dataNode)).contains("not in the in-sync set");
        VoteRequest behind = new VoteRequest("backup", 1, new Configuration(3, "backup", Set.of("backup")), new LogPosition(2, 9), false, false);
        assertThat(voter.refusal(behind, dataNode)).contains("behind this voter's log at 2:10");
        VoteRequest olderEpoch = new VoteRequest("backup", 1, new Configuration(3, "backup", Set.of("backup")), new LogPosition(1, 12), false, false);
        assertThat(voter.refusal(olderEpoch, dataNode)).as("a longer log of an older epoch is behind").contains("behind");
        VoteRequest newerEpoch = new VoteRequest("backup", 1, new Configuration(3, "backup", Set.of("backup")), new LogPosition(3, 8), false, false);
        assertThat(voter.refusal(newerEpoch, dataNode)).isNull();
        Voter.Situation heardPrimary = new Voter.Situation(false, LogPosition.ZERO, true, false);
        VoteRequest upToDate = new VoteRequest("backup", 1, new Configuration(3, "backup", Set.of("backup")), new LogPosition(2, 10), false, false);
        assertThat(voter.refusal(upToDate, heardPrimary)).contains("within its lease");
        assertThat(voter.refusal(upToDate, dataNode)).isNull();
    }

    private static void genesisWithBackup(Voter voter) {
        voter.adopt(new Configuration(1, "primary", Set.of("primary", "backup")));
    }

    @Test
    void atMostOnePrimaryPerEpochAcrossRandomPartitions() {
        for (long seed = 100; seed < 140; seed++) {
            SimulatedCluster c = new SimulatedCluster(seed, s -> s, "primary", "backup", "backup2", "witness*");
            java.util.Random r = new java.util.Random(seed);
            List<String> ids = List.of("primary", "backup", "backup2", "witness");
            java.util.Map<Long, String> primaryOfEpoch = new java.util.HashMap<>();
            for (int round = 0; round < 20; round++) {
                c.heal();
                if (r.nextBoolean()) {
                    c.isolate(ids.get(r.nextInt(ids.size())));
                } else {
                    c.cut(ids.get(r.nextInt(4)), ids.get(r.nextInt(4)));
                }
                for (int t = 0; t < 50; t++) {
                    c.run(Duration.ofMillis(20));
                    for (String id : c.primaries()) {
                        String previous = primaryOfEpoch.putIfAbsent(c.node(id).epoch(), id);
                        assertThat(previous == null || previous.equals(id))
                                .as("seed %d: two primaries in epoch %d", seed, c.node(id).epoch()).isTrue();
                    }
                }
            }
        }
    }
}
