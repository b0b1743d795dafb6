package pbkv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import pbkv.core.Role;
import pbkv.core.VoteReply;
import pbkv.core.VoteRequest;

/**
 * The first core bug the sweep found (seeds 184, 411, 433 of its first version: two primaries in
 * one epoch), as the shortest script that shows it: a pre-vote and the binding proposal after it
 * carry the same epoch, so a pre-vote grant arriving late or twice was counted as a binding vote.
 */
class PreVoteRegressionTest {

    /**
     * Primary, backup, witness; the primary dies; the witness grants the backup's pre-vote; the
     * backup starts its binding proposal; the same pre-vote grant arrives again. The backup must
     * not become PRIMARY of an epoch the witness never promised, for the witness could still
     * vote for another candidate in it.
     */
    @Test
    void aDuplicatedPreVoteGrantIsNotABindingVote() {
        StepCluster c = new StepCluster();
        c.runFor(Duration.ofMillis(500));
        assertThat(c.node("backup").role()).isEqualTo(Role.BACKUP);

        c.down = "primary";
        VoteRequest preVote = null;
        for (int i = 0; i < 200 && preVote == null; i++) {
            c.step();
            preVote = c.pending().stream().filter(e -> e.from().equals("backup") && e.to().equals("witness")
                    && e.message() instanceof VoteRequest v && v.preVote()).map(e -> (VoteRequest) e.message()).findFirst().orElse(null);
            if (preVote == null) {
                c.deliverAll();
            }
        }
        assertThat(preVote).as("the backup campaigns once the primary is silent").isNotNull();
        c.outbox.clear();
        VoteReply grant = c.node("witness").onVote(preVote, c.now("witness"));
        assertThat(grant.granted()).isTrue();
        c.node("backup").onReply(grant, c.now("backup")); // majority of pre-votes: the binding proposal starts
        assertThat(c.node("backup").role()).isEqualTo(Role.CANDIDATE);
        long epoch = c.node("backup").view(c.now("backup")).promisedEpoch();
        assertThat(c.node("witness").view(c.now("witness")).promisedEpoch()).isLessThan(epoch);

        c.node("backup").onReply(grant, c.now("backup")); // the same pre-vote grant, delivered again

        assertThat(c.node("backup").role())
                .as("the witness never promised epoch %d, yet the backup counts its vote", epoch)
                .isNotEqualTo(Role.PRIMARY);
    }
}
