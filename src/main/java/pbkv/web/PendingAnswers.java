package pbkv.web;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageConverter;
import pbkv.core.Outcome;

/**
 * Answers a client operation whose outcome is not known yet (a write waiting for the backups'
 * acknowledgements) without holding a request thread: the request goes asynchronous (Servlet
 * async), the request thread returns to Tomcat's pool, and the thread that completes the outcome
 * (the one that handles the backups' reply) writes the answer and completes the exchange.
 *
 * <p>Why: a request thread parked until its commit costs a sleep and a wake-up per write, the
 * largest share of what synchronous replication adds on a small machine (see docs/adr/0004). An
 * operation already complete (a lone node, a local read, a
 * refusal) is answered by Spring MVC as usual.
 */
class PendingAnswers {

    private static final System.Logger LOG = System.getLogger("pbkv.web");

    private final OutcomeResponses responses;
    private final Supplier<List<HttpMessageConverter<?>>> mvcConverters;
    private final long waitMillis;
    private volatile List<HttpMessageConverter<?>> converters;

    /**
     * @param mvcConverters Spring MVC's message converters (looked up at the first answer: the
     *                      handler adapter that holds them is built after this)
     * @param guard how long an answer may wait at most; the replica times operations out itself
     *              well before, so this only guards against a lost completion
     */
    PendingAnswers(OutcomeResponses responses, Supplier<List<HttpMessageConverter<?>>> mvcConverters, Duration guard) {
        this.responses = responses;
        this.mvcConverters = mvcConverters;
        this.waitMillis = guard.toMillis();
    }

    /**
     * The answer to return from the handler if the outcome is already known; otherwise null, and
     * the answer is written when the outcome completes (or after the guard timeout, as a 503).
     */
    ResponseEntity<?> answer(CompletableFuture<Outcome> outcome, HttpServletRequest request, HttpServletResponse response) {
        if (outcome.isDone()) {
            return outcome.handle((result, failure) -> settled(result, failure, request)).join();
        }
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(waitMillis);
        AtomicBoolean answered = new AtomicBoolean();
        async.addListener(new AsyncListener() {
            @Override
            public void onTimeout(AsyncEvent event) {
                finish(async, answered, responses.toResponse(
                        new Outcome.Unavailable("no answer from the replica within " + waitMillis + " ms", true), request), request);
            }

            @Override
            public void onComplete(AsyncEvent event) {
            }

            @Override
            public void onError(AsyncEvent event) {
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        outcome.whenComplete((result, failure) -> finish(async, answered, settled(result, failure, request), request));
        return null;
    }

    /** The answer once the outcome is known; a failed future is a bug in the replica, logged as one. */
    private ResponseEntity<?> settled(Outcome result, Throwable failure, HttpServletRequest request) {
        if (failure == null) {
            return responses.toResponse(result, request);
        }
        LOG.log(System.Logger.Level.ERROR, "the replica failed an operation", failure);
        return Problems.internalError(request.getMethod(), request.getRequestURI());
    }

    private void finish(AsyncContext async, AtomicBoolean answered, ResponseEntity<?> answer, HttpServletRequest request) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        try {
            write(answer, request, (HttpServletResponse) async.getResponse());
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not answer {0}: {1}", request.getRequestURI(), e.toString());
        }
        try {
            async.complete();
        } catch (IllegalStateException e) {
            // The client went away meanwhile, and the container has ended the exchange itself.
            LOG.log(System.Logger.Level.DEBUG, "{0} ended before its answer: {1}", request.getRequestURI(), e.toString());
        }
    }

    /** Writes the entity as Spring MVC would, with its message converters, into the response's buffer. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void write(ResponseEntity<?> entity, HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(entity.getStatusCode().value());
        entity.getHeaders().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
        Object body = entity.getBody();
        if (body == null) {
            response.setContentLength(0);
            return;
        }
        if (body instanceof ProblemDetail problem && problem.getInstance() == null) {
            problem.setInstance(URI.create(request.getRequestURI())); // as Spring MVC does for a returned problem
        }
        MediaType type = entity.getHeaders().getContentType() != null ? entity.getHeaders().getContentType() : MediaType.APPLICATION_JSON;
        BufferedMessage message = new BufferedMessage();
        for (HttpMessageConverter converter : converters()) {
            if (converter.canWrite(body.getClass(), type)) {
                converter.write(body, type, message);
                MediaType written = message.headers.getContentType();
                response.setContentType((written != null ? written : type).toString());
                // No Content-Length and no flush here: with the length set, the last byte would
                // make this thread send the answer itself, one write after another for a whole
                // batch of answers. Left in the buffer, it goes out in one write (Tomcat sets the
                // length of a buffered body) from the container thread that completes the exchange.
                message.body.writeTo(response.getOutputStream());
                return;
            }
        }
        throw new IllegalStateException("no converter writes " + body.getClass() + " as " + type);
    }

    private List<HttpMessageConverter<?>> converters() {
        List<HttpMessageConverter<?>> c = converters;
        if (c == null) {
            c = List.copyOf(mvcConverters.get());
            converters = c;
        }
        return c;
    }

    private static final class BufferedMessage implements HttpOutputMessage {
        final HttpHeaders headers = new HttpHeaders();
        final ByteArrayOutputStream body = new ByteArrayOutputStream(256);

        @Override
        public OutputStream getBody() {
            return body;
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }
    }
}
