package pbkv.torture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pbkv.check.OpType;
import pbkv.check.Completion;
import pbkv.harness.KvResponse;
import pbkv.torture.ResponseClassifier.Classification;

class ResponseClassifierTest {

    private static final URI URI_ = URI.create("http://127.0.0.1:1/kv/k");

    @Test
    void successesCarryWhatTheServerReported() {
        Classification get = classify(OpType.GET, 200, "{\"key\":\"k\",\"value\":\"v\",\"version\":7}");
        assertThat(get).isEqualTo(new Classification(Completion.OK, "v", "7", null));
        assertThat(classify(OpType.GET, 404, "{}")).isEqualTo(new Classification(Completion.OK, null, null, null));
        assertThat(classify(OpType.PUT, 200, "{\"key\":\"k\",\"value\":\"v\",\"version\":8}").resultVersion()).isEqualTo("8");
        assertThat(classify(OpType.CAS, 200, "{\"key\":\"k\",\"value\":\"v\",\"version\":9}").outcome()).isEqualTo(Completion.OK);
        assertThat(classify(OpType.DELETE, 200, "{\"key\":\"k\",\"deleted\":true}").outcome()).isEqualTo(Completion.OK);
    }

    @Test
    void preconditionAnswersAreDefiniteFailures() {
        assertThat(classify(OpType.CAS, 412, "{\"currentVersion\":3}").outcome()).isEqualTo(Completion.FAIL);
        assertThat(classify(OpType.DELETE, 404, "{}").outcome()).isEqualTo(Completion.FAIL);
    }

    @Test
    void aWriteThatMayHaveBeenReplicatedIsUnknown() {
        assertThat(classify(OpType.PUT, 503, "{\"outcome\":\"unknown\"}").outcome()).isEqualTo(Completion.UNKNOWN);
        assertThat(classify(OpType.CAS, 503, "{}").outcome()).isEqualTo(Completion.UNKNOWN);
        assertThat(classify(OpType.DELETE, 500, "").outcome()).isEqualTo(Completion.UNKNOWN);
        assertThat(failed(OpType.PUT, new HttpTimeoutException("request timed out")).outcome()).isEqualTo(Completion.UNKNOWN);
        assertThat(failed(OpType.PUT, new IOException("connection reset")).outcome()).isEqualTo(Completion.UNKNOWN);
    }

    @Test
    void aReadThatWentWrongIsAFailureWhichTellsNothing() {
        assertThat(classify(OpType.GET, 503, "{\"outcome\":\"unknown\"}").outcome()).isEqualTo(Completion.FAIL);
        assertThat(failed(OpType.GET, new HttpTimeoutException("request timed out")).outcome()).isEqualTo(Completion.FAIL);
    }

    @Test
    void rejectionsWithoutInformationAreNeverClaimedAsPreconditionFailures() {
        for (OpType op : List.of(OpType.CAS, OpType.DELETE)) {
            assertThat(classify(op, 503, "{\"outcome\":\"not-applied\"}").rejected()).isTrue();
            assertThat(classify(op, 307, "{}").rejected()).isTrue();
            assertThat(failed(op, new ConnectException("refused")).rejected()).isTrue();
        }
        assertThat(classify(OpType.PUT, 503, "{\"outcome\":\"not-applied\"}").outcome()).isEqualTo(Completion.FAIL);
        assertThat(failed(OpType.PUT, new ConnectException("refused")).outcome()).isEqualTo(Completion.FAIL);
        assertThat(classify(OpType.PUT, 413, "{}").outcome()).isEqualTo(Completion.FAIL);
    }

    private static Classification classify(OpType op, int status, String body) {
        HttpHeaders headers = HttpHeaders.of(Map.of(), (name, value) -> true);
        return ResponseClassifier.classify(op, new KvResponse(status, body, headers, URI_, null));
    }

    private static Classification failed(OpType op, Exception failure) {
        HttpHeaders headers = HttpHeaders.of(Map.of(), (name, value) -> true);
        return ResponseClassifier.classify(op, new KvResponse(0, "", headers, URI_, failure));
    }
}
