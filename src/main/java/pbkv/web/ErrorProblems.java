package pbkv.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors that never reach a controller (a filter's {@code sendError}, an exception outside Spring
 * MVC) are forwarded by the container to {@code /error}. Boot's own error body there is its own
 * JSON shape; every error of pbkv is problem JSON, so this replaces it, and says no more than the
 * status: the exception, if any, is logged, never sent.
 */
@RestController
class ErrorProblems implements ErrorController {

    private static final System.Logger LOG = System.getLogger("pbkv.web");

    @RequestMapping("/error")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer c && HttpStatus.resolve(c) != null ? HttpStatus.valueOf(c) : HttpStatus.INTERNAL_SERVER_ERROR;
        String path = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String method = request.getMethod();
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "failed on " + method + " " + path, t);
        }
        if (status.is5xxServerError()) {
            return Problems.internalError(method, path);
        }
        return Problems.response(status).body(Problems.problem(status, status.getReasonPhrase(),
                "the request was refused: " + status.value() + " " + status.getReasonPhrase(), Map.of()));
    }
}
