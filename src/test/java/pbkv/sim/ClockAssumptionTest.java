package pbkv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import pbkv.core.Outcome;
import pbkv.core.ReplicateRequest;
import pbkv.core.Role;

/**
 * Why the sweep bounds clock jumps of voters (see {@link SimNemesis} and {@link SimClock}): a lease
 * is only as good as the assumption that clocks advance at about the same rate. A voter whose
 * clock jumps forward believes the primary's lease is over before it is, votes for a new primary,
 * and the old one still serves reads under its lease. No safety margin in the vote rule can
 * cover an arbitrary jump; these two scripts show the line between the modelled and the
 * unmodelled, so that nobody mistakes a green sweep for more than it proves.
 */
class ClockAssumptionTest {

    @Test
    void aVotersForwardJumpLetsTheOldPrimaryServeAStaleReadUnderItsLease() {
        StepCluster c = settledWithOneWrite();
        c.cut("backup", "primary"); // the old primary will not hear its successor directly
        c.jumpClock("backup", Duration.ofMillis(1_200)); // "the primary has been silent for over a second"
        c.jumpClock("witness", Duration.ofMillis(600)); // "the primary's lease ran out"
        c.step();
        c.deliverAll();

        assertThat(c.node("backup").role()).as("elected with the witness's vote").isEqualTo(Role.PRIMARY);
        assertThat(c.node("primary").role()).isEqualTo(Role.PRIMARY);
        assertThat(c.put("backup", "k", "v2")).isInstanceOf(Outcome.Value.class);
        Outcome read = c.get("primary", "k");
        assertThat(read).as("acknowledged v2, then read v1: not linearizable, outside the lease assumption")
                .isInstanceOfSatisfying(Outcome.Value.class, v -> assertThat(v.value().value()).isEqualTo("v1"));
    }

    @Test
    void withTheWitnessClockSteadyTheSameScriptElectsNobody() {
        StepCluster c = settledWithOneWrite();
        long epoch = c.node("primary").epoch();
        c.cut("backup", "primary");
        c.jumpClock("backup", Duration.ofMillis(1_200)); // the backup alone believes the primary is dead
        c.step();
        c.deliverAll();
        c.runFor(Duration.ofMillis(300));

        assertThat(c.node("backup").role()).as("the witness heard the primary within its lease: refused").isNotEqualTo(Role.PRIMARY);
        assertThat(c.put("backup", "k", "v2")).isInstanceOf(Outcome.NotPrimary.class);
        assertThat(c.node("witness").view(c.now("witness")).promisedEpoch()).as("nothing was promised").isEqualTo(epoch);
        assertThat(c.node("primary").role()).isEqualTo(Role.PRIMARY);
    }

    /** Primary and backup in sync, k=v1 acknowledged, the primary's heartbeat to the witness just delivered. */
    private static StepCluster settledWithOneWrite() {
        StepCluster c = new StepCluster();
        c.runFor(Duration.ofMillis(500));
        assertThat(c.node("primary").view(c.now("primary")).inSync()).containsExactlyInAnyOrder("primary", "backup");
        assertThat(c.put("primary", "k", "v1")).isInstanceOf(Outcome.Value.class);
        for (int i = 0; i < 20; i++) {
            c.step();
            boolean heartbeat = c.pending().stream().anyMatch(e -> e.from().equals("primary") && e.to().equals("witness")
                    && e.message() instanceof ReplicateRequest);
            c.deliverAll();
            if (heartbeat) {
                return c; // the next one is 100 ms away: the jumps below happen inside that gap
            }
        }
        throw new AssertionError("no heartbeat from the primary to the witness");
    }
}
