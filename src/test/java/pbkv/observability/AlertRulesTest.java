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
        ExternalTool.Result check = promtool().run(PROMETHEUS_DIR, "check", "rules", "alerts.yml");
        System.out.println(check);
        assertThat(check.exitCode()).as("%s", check).isZero();
        assertThat(check.output()).contains("SUCCESS: 5 rules found");
    }

    @Test
    void theScrapeConfigPassesPromtoolCheck() {
        ExternalTool.Result check = promtool().run(PROMETHEUS_DIR, "check", "config", "prometheus.yml");
        assertThat(check.exitCode()).as("%s", check).isZero();
    }

    @Test
    void everyAlertFiresAndStaysQuietAsItsUnitTestsSay() {
        ExternalTool.Result test = promtool().run(PROMETHEUS_DIR, "test", "rules", "alerts-test.yml");
        System.out.println(test);
        assertThat(test.exitCode()).as("%s", test).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertHasAUnitTest() throws IOException {
        Set<String> alerts = matches(ALERT, Files.readString(PROMETHEUS_DIR.resolve("alerts.yml")));
        Set<String> tested = matches(ALERT_NAME, Files.readString(PROMETHEUS_DIR.resolve("alerts-test.yml")));
        assertThat(alerts).containsExactlyInAnyOrder("PbkvNoPrimary", "PbkvMultiplePrimariesInEpoch",
                "PbkvInSyncBelowMinimum", "PbkvBackupLagging", "PbkvNodeDown");
        assertThat(tested).containsAll(alerts);
    }

    private static ExternalTool promtool() {
        return ExternalTool.require("promtool", "prometheus");
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
