package pbkv.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckHistoryCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private String good;
    private String bad;

    @BeforeEach
    void writeHistories() throws IOException {
        good = write("good.hist", "c1\tput\tk\ta\t-\t0\t10\tok\t-\t1", "c1\tget\tk\t-\t-\t20\t30\tok\ta\t1");
        bad = write("bad.hist", "c1\tput\tk\ta\t-\t0\t10\tok\t-\t1", "c1\tget\tk\t-\t-\t20\t30\tok\t-\t-");
    }

    private String write(String name, String... lines) throws IOException {
        return Files.write(dir.resolve(name), String.join("\n", lines).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private int run(String... args) {
        return CheckHistoryCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void allLinearizableExitsZeroWithOneLinePerFile() {
        assertThat(run(good, good)).isZero();
        assertThat(stdout()).isEqualTo(good + " linearizable\n" + good + " linearizable\n");
    }

    @Test
    void violationExitsOneAndExplainsIndented() {
        assertThat(run(good, bad)).isEqualTo(1);
        assertThat(stdout()).contains(good + " linearizable\n", bad + " NOT linearizable\n",
                "    key k: only 1 of 2 operations could be linearized; then key holds a at version 1");
    }

    @Test
    void unreadableOrUnparsableFileExitsTwoEvenWithViolations() throws IOException {
        String garbage = write("garbage.hist", "this is not a history");
        assertThat(run(bad, garbage, dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(stdout()).contains(garbage + " error: line 1: expected 10 tab-separated fields",
                "missing error: no such file");
    }

    @Test
    void searchOutOfBudgetExitsTwo() throws IOException {
        // Sixteen overlapping puts and an impossible read: far more than a microsecond of search.
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            lines.append("c").append(i).append("\tput\tk\tv").append(i).append("\t-\t0\t100\tok\t-\t").append(i).append('\n');
        }
        String slow = write("slow.hist", lines + "r\tget\tk\t-\t-\t50\t100\tok\tnobody\t-");
        assertThat(run("--timeout", "0.000001", slow)).isEqualTo(2);
        assertThat(stdout()).startsWith(slow + " unknown (search budget exhausted for key(s) k)");
    }

    @Test
    void explicitFormatOverridesGuess() throws IOException {
        String kv = write("kv.edn", "{:process 0, :type :invoke, :f :get, :key \"a\", :value nil}",
                "{:process 0, :type :ok, :f :get, :key \"a\", :value \"\"}");
        assertThat(run("--format", "jepsen-kv", kv)).isZero();
        assertThat(run("--format", "pbkv", kv)).isEqualTo(2);
    }

    @Test
    void badUsageExitsTwoWithUsageOnStderr() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("--format", "csv", good)).isEqualTo(2);
        assertThat(run("--timeout", "-1", good)).isEqualTo(2);
        assertThat(run("--frobnicate", good)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: check-history", "unknown format csv");
    }

    @Test
    void helpDescribesThePbkvFormatAndExitsZero() {
        assertThat(run("--help")).isZero();
        assertThat(stdout()).contains("client op key arg expectedVersion invokeNanos completeNanos outcome");
    }
}
