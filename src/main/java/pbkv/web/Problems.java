package pbkv.web;

import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** RFC 9457 problem details, with a stable type URI per kind of problem. */
final class Problems {
    private Problems() {
    }

    static ProblemDetail problem(HttpStatus status, String title, String detail, Map<String, Object> properties) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setTitle(title);
        p.setType(typeOf(title));
        properties.forEach(p::setProperty);
        return p;
    }

    static URI typeOf(String title) {
        return URI.create("https://pbkv.dev/problems/" + title.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", ""));
    }

    /**
     * A failure of ours, not the client's: no exception text, class name or stack trace reaches
     * the client (they are logged). A write that failed so may or may not have been applied, and
     * the client must be told which of its writes it cannot count on.
     */
    static ResponseEntity<ProblemDetail> internalError(String method, String path) {
        boolean write = !"GET".equals(method) && !"HEAD".equals(method) && path != null && path.startsWith("/kv");
        return response(HttpStatus.INTERNAL_SERVER_ERROR).body(problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                write ? "the node failed while handling this write: it may or may not have been applied; read the key to find out"
                        : "the node failed while handling this request; the details are in its log",
                write ? Map.of("outcome", "unknown") : Map.of()));
    }

    static ResponseEntity.BodyBuilder response(HttpStatus status) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }
}
