package pbkv.web;

import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Every error as problem JSON: ours, and Spring MVC's own (bad JSON, wrong method, ...). */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

    private static final System.Logger LOG = System.getLogger("pbkv.web");

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e) {
        return Problems.response(e.status).body(Problems.problem(e.status, e.title, e.getMessage(), e.properties));
    }

    /** Anything else is a bug of ours: logged in full, answered without its text. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, jakarta.servlet.http.HttpServletRequest request) {
        LOG.log(System.Logger.Level.ERROR, "failed on " + request.getMethod() + " " + request.getRequestURI(), e);
        return Problems.internalError(request.getMethod(), request.getRequestURI());
    }

    /** Spring MVC's own problems (405, 415, 404, type mismatch) get a type URI like ours. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, org.springframework.http.HttpHeaders headers,
            org.springframework.http.HttpStatusCode statusCode, org.springframework.web.context.request.WebRequest request) {
        if (body instanceof ProblemDetail problem && (problem.getType() == null || "about:blank".equals(problem.getType().toString()))) {
            String title = problem.getTitle() != null ? problem.getTitle() : "Error " + statusCode.value();
            problem.setType(Problems.typeOf(title));
            problem.setTitle(title);
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            org.springframework.http.HttpHeaders headers, org.springframework.http.HttpStatusCode status,
            org.springframework.web.context.request.WebRequest request) {
        // The parser's own message names its classes and settings: logged for us, not sent.
        LOG.log(System.Logger.Level.DEBUG, "unreadable body: {0}", ex.getMostSpecificCause().toString());
        String detail = "the request body is not a valid message for this endpoint: malformed JSON, a missing field or a value of the wrong type";
        return Problems.response(HttpStatus.BAD_REQUEST)
                .body(Problems.problem(HttpStatus.BAD_REQUEST, "Malformed body", detail, Map.of()));
    }
}
