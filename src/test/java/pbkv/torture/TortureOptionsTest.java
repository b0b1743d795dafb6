package pbkv.torture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TortureOptionsTest {

    @Test
    void parsesTheCommandLineAndReplaysOneRunWithItsOwnSeed() {
        TortureOptions options = TortureOptions.parse("--runs", "5", "--seconds", "20", "--seed", "40", "--keep-going",
                "--mode", "async", "--faults", "kill-primary,partition");
        assertThat(options.runs()).isEqualTo(5);
        assertThat(options.keepGoing()).isTrue();
        assertThat(options.async()).isTrue();
        assertThat(options.script()).containsExactly(FaultKind.KILL_PRIMARY, FaultKind.PARTITION_DATA);
        TortureOptions third = options.forRun(2);
        assertThat(third.seed()).isEqualTo(42);
        assertThat(third.replayCommand())
                .isEqualTo("bin/torture --runs 1 --seconds 20 --seed 42 --mode async --faults kill-primary,partition");
        assertThat(TortureOptions.parse("--unsafe-two-node").replayCommand()).contains("--unsafe-two-node");
    }

    @Test
    void rejectsWhatItDoesNotKnow() {
        assertThatThrownBy(() -> TortureOptions.parse("--mode", "eventual")).hasMessageContaining("sync or async");
        assertThatThrownBy(() -> TortureOptions.parse("--runs")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> TortureOptions.parse("--faults", "meteor")).hasMessageContaining("no fault meteor");
        assertThatThrownBy(() -> TortureOptions.parse("--bogus")).hasMessageContaining("unknown argument");
        assertThat(FaultKind.applicable(false)).doesNotContain(FaultKind.KILL_WITNESS, FaultKind.CUT_WITNESS);
        assertThat(FaultKind.applicable(true)).hasSize(FaultKind.values().length);
        assertThat(List.of(FaultKind.values())).allSatisfy(k -> assertThat(FaultKind.byLabel(k.label())).isEqualTo(k));
    }
}
