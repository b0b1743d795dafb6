package pbkv.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Checks the shared reference histories against verdicts established by others (see
 * ../shared/histories/README.md). The files stay outside the repository, so the tests skip
 * when the folder is missing.
 */
class ReferenceHistoriesTest {

    private static final Path HISTORIES = Path.of("../shared/histories");
    private static final Duration PER_FILE = Duration.ofSeconds(10);

    @TestFactory
    Stream<DynamicTest> jepsenEtcdHistoriesGetTheirExpectedVerdict() throws IOException {
        return testsFor("jepsen-etcd", HistoryFormat.JEPSEN_ETCD);
    }

    @TestFactory
    Stream<DynamicTest> jepsenKvHistoriesGetTheirExpectedVerdict() throws IOException {
        return testsFor("kv", HistoryFormat.JEPSEN_KV);
    }

    private static Stream<DynamicTest> testsFor(String folder, HistoryFormat format) throws IOException {
        Path dir = HISTORIES.resolve(folder);
        Assumptions.assumeTrue(Files.isDirectory(dir),
                () -> "reference histories not found at " + dir.toAbsolutePath().normalize() + "; skipping");
        List<String> expectations = Files.readAllLines(dir.resolve("EXPECTED.txt"), StandardCharsets.UTF_8);
        assertThat(expectations).as("EXPECTED.txt of %s", folder).isNotEmpty();
        return expectations.stream().filter(line -> !line.isBlank()).map(line -> line.trim().split("\\s+"))
                .map(entry -> DynamicTest.dynamicTest(entry[0] + " is " + (Boolean.parseBoolean(entry[1]) ? "" : "not ")
                        + "linearizable", () -> checkFile(dir.resolve(entry[0]), format, Boolean.parseBoolean(entry[1]))));
    }

    private static void checkFile(Path file, HistoryFormat format, boolean linearizable) throws Exception {
        History history = format.parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        // The checker's own budget is the same, so a slow file ends as UNKNOWN rather than hanging.
        CheckResult result = assertTimeoutPreemptively(PER_FILE, () -> LinearizabilityChecker.check(history, PER_FILE));
        assertThat(result.verdict()).isEqualTo(linearizable ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE);
    }
}
