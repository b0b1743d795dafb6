package pbkv.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's Divergence section and verdict line, from each node's GET /cluster/divergence. */
class NodeDivergencesTest {

    private static final String ANSWER = """
            {"node":"primary","dropped":2,"acknowledged":1,"entries":[
              {"key":"k","value":"v","epoch":1,"index":12,"acknowledged":true,"droppedAt":"2026-12-03T16:00:00Z","primary":"backup"},
              {"key":"j","value":"w","epoch":1,"index":13,"acknowledged":null,"droppedAt":"2026-12-03T16:00:00Z","primary":"backup"}]}
            """;

    @TempDir
    Path dir;

    private static Exchange answer(int status, String body) {
        return new Exchange("GET", "http://127.0.0.1:1/cluster/divergence", null, status, null, body, null, 0, 1);
    }

    @Test
    void theAcknowledgedCountsAreSummedOverTheNodesThatAnswer() {
        List<NodeDivergences.NodeDivergence> nodes = List.of(NodeDivergences.parse("primary", answer(200, ANSWER)),
                NodeDivergences.parse("backup", answer(200, "{\"node\":\"backup\",\"dropped\":0,\"acknowledged\":0,\"entries\":[]}")),
                NodeDivergences.parse("witness", answer(404, "")));
        assertThat(NodeDivergences.acknowledged(nodes)).isEqualTo(1L);
        assertThat(nodes.get(0).entries()).extracting(NodeDivergences.Entry::key).containsExactly("k", "j");
    }

    @Test
    void withoutTheEndpointTheCountIsNotAvailableRatherThanZero() {
        List<NodeDivergences.NodeDivergence> nodes = List.of(NodeDivergences.parse("primary", answer(404, "")),
                NodeDivergences.parse("backup", answer(0, null)));
        assertThat(NodeDivergences.acknowledged(nodes)).isNull();
        assertThat(new Verdicts.Verdict(List.of(), "yes", "", null).lines())
                .endsWith("acknowledged writes dropped on rejoin: not available");
    }

    @Test
    void theReportListsEachNodesEntriesOrSaysNoneOrNotAvailable() throws Exception {
        Report report = new Report();
        NodeDivergences.write(report, List.of(NodeDivergences.parse("primary", answer(200, ANSWER)),
                NodeDivergences.parse("backup", answer(200, "{\"node\":\"backup\",\"dropped\":0,\"acknowledged\":0,\"entries\":[]}")),
                NodeDivergences.parse("witness", answer(404, ""))));
        report.write(dir.resolve("report.md"));
        assertThat(Files.readString(dir.resolve("report.md"))).contains("## Divergence",
                "2 entries dropped, 1 of them acknowledged.", "| k | v | 1 | 12 | yes | 2026-12-03T16:00:00Z | backup |",
                "| j | w | 1 | 13 | unknown | 2026-12-03T16:00:00Z | backup |",
                "### backup\n\nnone", "### witness\n\nnot available (HTTP 404)");
    }
}
