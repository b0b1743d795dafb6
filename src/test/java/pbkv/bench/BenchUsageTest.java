package pbkv.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The bench's help, the first thing a new user runs: it must print (its text is a format string). */
class BenchUsageTest {

    @Test
    void helpPrintsEveryCommandAndExitsZero() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();

        int status = Bench.run(new String[] {"--help"}, new PrintStream(text, true, StandardCharsets.UTF_8));

        assertThat(status).isZero();
        assertThat(text.toString(StandardCharsets.UTF_8))
                .contains("bin/bench [run]", "bin/bench failover", "bin/bench catchup", "--jit-warmup", "under 2 % of 5 s");
    }
}
