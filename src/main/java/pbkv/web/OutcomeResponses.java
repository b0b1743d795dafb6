package pbkv.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import pbkv.config.ClusterProperties;
import pbkv.config.TimingProperties;
import pbkv.core.Outcome;

/** Maps each replica outcome to HTTP: the one place that knows the status codes of the contract. */
@Component
class OutcomeResponses {

    private final ClusterProperties cluster;
    private final String retryAfterSeconds;

    OutcomeResponses(ClusterProperties cluster, TimingProperties.Failure failure) {
        this.cluster = cluster;
        this.retryAfterSeconds = Long.toString(Math.max(1, failure.timeout().toSeconds()));
    }

    ResponseEntity<?> toResponse(Outcome outcome, HttpServletRequest request) {
        if (outcome instanceof Outcome.Value v) {
            return ResponseEntity.ok().eTag("\"" + v.value().version() + "\"")
                    .body(Map.of("key", v.key(), "value", v.value().value(), "version", v.value().version()));
        }
        if (outcome instanceof Outcome.NotFound n) {
            if (n.deleted()) {
                return ResponseEntity.ok(Map.of("key", n.key(), "deleted", true));
            }
            return problem(HttpStatus.NOT_FOUND, "Key not found", "no key " + n.key(), Map.of("key", n.key()));
        }
        if (outcome instanceof Outcome.PreconditionFailed p) {
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("key", p.key());
            props.put("currentVersion", p.current());
            return problem(HttpStatus.PRECONDITION_FAILED, "Version mismatch",
                    p.current() == null ? "the key is absent" : "the current version is " + p.current(), props);
        }
        if (outcome instanceof Outcome.NotPrimary np) {
            return notPrimary(np, request);
        }
        if (outcome instanceof Outcome.StoreFull f) {
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("key", f.key());
            props.put("limit", f.limit());
            props.put("bound", f.bound());
            props.put("outcome", "not-applied");
            return problem(HttpStatus.INSUFFICIENT_STORAGE, "Store full", f.reason(), props);
        }
        Outcome.Unavailable u = (Outcome.Unavailable) outcome;
        return Problems.response(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, retryAfterSeconds)
                .body(Problems.problem(HttpStatus.SERVICE_UNAVAILABLE, "Unavailable", u.reason(),
                        Map.of("outcome", u.outcomeUnknown() ? "unknown" : "not-applied")));
    }

    private ResponseEntity<?> notPrimary(Outcome.NotPrimary np, HttpServletRequest request) {
        String url = np.primaryHint() == null ? null : cluster.urlOf(np.primaryHint());
        if (url == null) {
            return Problems.response(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, retryAfterSeconds)
                    .body(Problems.problem(HttpStatus.SERVICE_UNAVAILABLE, "No primary",
                            "no primary is known right now (failover in progress?); retry later", Map.of("outcome", "not-applied")));
        }
        String target = url + request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        return Problems.response(HttpStatus.TEMPORARY_REDIRECT).location(URI.create(target))
                .header("X-Pbkv-Primary", np.primaryHint())
                .body(Problems.problem(HttpStatus.TEMPORARY_REDIRECT, "Not the primary",
                        "this node is not the primary; " + np.primaryHint() + " is. To read this node's own copy, add ?consistency=local",
                        Map.of("primary", np.primaryHint(), "location", target)));
    }

    private static ResponseEntity<?> problem(HttpStatus status, String title, String detail, Map<String, Object> props) {
        return Problems.response(status).body(Problems.problem(status, title, detail, props));
    }
}
