package pbkv.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shipped alert rules and scrape config are valid, and promtool's unit tests cover every alert. */
class AlertRulesTest {

    private static final Path PROMETHEUS_DIR = ExternalTool.projectRoot().resolve("docker/prometheus");
    private static final Pattern ALERT = Pattern.compile("^\\s*-?\\s*alert:\\s*(\\S+)", Pattern.MULTILINE);
    private static final Pattern ALERT_NAME = Pattern.compile("^\\s*alertname:\\s*(\\S+)", Pattern.MULTILINE);

    @Test
    void theAlertRulesPassPromtoolCheck() {
        assertThat(promtoolSucceeds("check", "rules", "alerts.yml")).contains("SUCCESS: 6 rules found");
    }

    @Test
    void theScrapeConfigPassesPromtoolCheck() {
        assertThat(promtoolSucceeds("check", "config", "prometheus.yml")).contains("is valid prometheus config file");
    }

    @Test
    void everyAlertFiresAndStaysQuietAsItsUnitTestsSay() {
        assertThat(promtoolSucceeds("test", "rules", "alerts-test.yml")).contains("SUCCESS");
    }

    @Test
    void everyAlertHasAUnitTest() throws IOException {
        Set<String> alerts = matches(ALERT, Files.readString(PROMETHEUS_DIR.resolve("alerts.yml")));
        Set<String> tested = matches(ALERT_NAME, Files.readString(PROMETHEUS_DIR.resolve("alerts-test.yml")));
        assertThat(alerts).containsExactlyInAnyOrder("PbkvNoPrimary", "PbkvMultiplePrimariesInEpoch",
                "PbkvInSyncBelowMinimum", "PbkvBackupLagging", "PbkvNodeDown", "PbkvAcknowledgedWriteDropped");
        assertThat(tested).containsAll(alerts);
    }

    /** Runs promtool in docker/prometheus, prints what it said (the report quotes it), and requires exit 0. */
    private static String promtoolSucceeds(String... arguments) {
        ExternalTool.Result result = ExternalTool.require("promtool", "prometheus").run(PROMETHEUS_DIR, arguments);
        System.out.println(result);
        assertThat(result.exitCode()).as("%s", result).isZero();
        return result.output();
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
