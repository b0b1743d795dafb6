package pbkv.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.mock.web.MockAsyncContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import pbkv.config.ClusterProperties;
import pbkv.config.TimingProperties;
import pbkv.core.Outcome;
import pbkv.core.Versioned;

/** A client operation still waiting for its backups holds no request thread, and is answered once, in one piece. */
class PendingAnswersTest {

    private final PendingAnswers answers = new PendingAnswers(
            new OutcomeResponses(new ClusterProperties(List.of(new ClusterProperties.Member("primary", "http://127.0.0.1:8000", false, null)),
                    "secret", "primary", "pbkv"), new TimingProperties.Failure(Duration.ofSeconds(1), null)),
            () -> List.of(new JacksonJsonHttpMessageConverter()), Duration.ofSeconds(5));
    private final MockHttpServletRequest request = new MockHttpServletRequest("PUT", "/kv/a");
    private final MockHttpServletResponse response = new MockHttpServletResponse();

    PendingAnswersTest() {
        request.setAsyncSupported(true);
    }

    @Test
    void anOutcomeKnownAtOnceIsReturnedToSpringMvcWithoutGoingAsynchronous() {
        var entity = answers.answer(CompletableFuture.completedFuture(new Outcome.Value("a", new Versioned("1", 7))), request, response);

        assertThat(entity.getStatusCode().value()).isEqualTo(200);
        assertThat(entity.getHeaders().getETag()).isEqualTo("\"7\"");
        assertThat(request.isAsyncStarted()).isFalse();
    }

    @Test
    void aWriteWaitingForItsBackupsFreesTheRequestThreadAndIsAnsweredWholeWhenItCommits() throws Exception {
        CompletableFuture<Outcome> commit = new CompletableFuture<>();

        assertThat(answers.answer(commit, request, response)).as("nothing for Spring MVC to write").isNull();
        assertThat(request.isAsyncStarted()).as("the request thread went back to the pool").isTrue();
        assertThat(response.getContentAsByteArray()).isEmpty();

        commit.complete(new Outcome.Value("a", new Versioned("1", 7))); // the backups acknowledged

        assertThat(request.isAsyncStarted()).as("the exchange is complete").isFalse();
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeader("ETag")).isEqualTo("\"7\"");
        assertThat(response.getContentType()).startsWith("application/json");
        assertThat(response.getContentAsString()).contains("\"key\":\"a\"", "\"value\":\"1\"", "\"version\":7");
    }

    @Test
    void anOperationWhoseOutcomeIsLostIsAnsweredUnavailableAtTheGuardTimeoutAndOnlyOnce() throws IOException {
        CompletableFuture<Outcome> lost = new CompletableFuture<>();
        answers.answer(lost, request, response);
        MockAsyncContext async = (MockAsyncContext) request.getAsyncContext();
        assertThat(async.getTimeout()).isEqualTo(5_000);

        for (AsyncListener listener : async.getListeners()) {
            listener.onTimeout(new AsyncEvent(async, request, response));
        }
        String answer = response.getContentAsString();
        lost.complete(new Outcome.Value("a", new Versioned("1", 7))); // too late: the client was answered

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getHeader("Retry-After")).isEqualTo("1");
        assertThat(answer).contains("\"outcome\":\"unknown\"", "\"instance\":\"/kv/a\"");
        assertThat(response.getContentAsString()).isEqualTo(answer);
    }

    @Test
    void aFailedOperationIsAnswered500OutcomeUnknownWithoutItsExceptionWhetherItFailedAtOnceOrLater() throws IOException {
        var atOnce = answers.answer(CompletableFuture.failedFuture(new IllegalStateException("bug")), request, response);
        assertThat(atOnce.getStatusCode().value()).isEqualTo(500);
        assertThat(atOnce.getBody().toString()).contains("outcome=unknown").doesNotContain("IllegalStateException", "bug");

        MockHttpServletRequest later = new MockHttpServletRequest("PUT", "/kv/b");
        later.setAsyncSupported(true);
        MockHttpServletResponse laterResponse = new MockHttpServletResponse();
        CompletableFuture<Outcome> failing = new CompletableFuture<>();
        answers.answer(failing, later, laterResponse);
        failing.completeExceptionally(new IllegalStateException("bug"));

        assertThat(laterResponse.getStatus()).isEqualTo(500);
        assertThat(laterResponse.getContentAsString()).contains("\"outcome\":\"unknown\"").doesNotContain("IllegalStateException", "bug");
    }
}
