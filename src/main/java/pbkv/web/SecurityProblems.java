package pbkv.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import tools.jackson.databind.ObjectMapper;

/**
 * 401, 403 and firewall rejections as problem JSON, like every other error. Spring Security
 * answers these in its filters, before Spring MVC and its {@link ProblemAdvice} see the request,
 * so they are written here. Details never carry an exception's message or class.
 */
final class SecurityProblems {

    static final String PEER_REALM = "Bearer realm=\"pbkv-peers\"";
    static final String CLIENT_REALM = "Basic realm=\"pbkv\"";

    private final ObjectMapper json;

    SecurityProblems(ObjectMapper json) {
        this.json = json;
    }

    /** A peer without the header (entry point) or with a wrong one (failure handler). */
    AuthenticationEntryPoint peerMissingSecret() {
        return (request, response, e) -> write(response, HttpStatus.UNAUTHORIZED, PEER_REALM, "Unauthenticated peer",
                "peer calls need Authorization: Bearer <cluster.secret>");
    }

    AuthenticationFailureHandler peerWrongSecret() {
        return (request, response, e) -> write(response, HttpStatus.UNAUTHORIZED, PEER_REALM, "Unauthenticated peer",
                "wrong cluster secret");
    }

    /** No credentials where they are needed, or credentials that were not accepted. */
    AuthenticationEntryPoint clientUnauthenticated() {
        return (request, response, e) -> write(response, HttpStatus.UNAUTHORIZED, CLIENT_REALM, "Unauthenticated",
                unauthenticatedDetail(e));
    }

    AccessDeniedHandler clientForbidden() {
        return (request, response, e) -> write(response, HttpStatus.FORBIDDEN, null, "Forbidden",
                forbiddenDetail(request.getUserPrincipal() == null ? "?" : request.getUserPrincipal().getName(),
                        request.getMethod(), request.getRequestURI()));
    }

    /** Spring Security's firewall refuses e.g. encoded slashes, ';' and '..' in paths before any chain. */
    RequestRejectedHandler rejected() {
        return (request, response, e) -> write(response, HttpStatus.BAD_REQUEST, null, "Rejected request",
                "the request URL or a header holds characters this server refuses (e.g. an encoded / or ;)");
    }

    private static String unauthenticatedDetail(AuthenticationException e) {
        if (e instanceof InsufficientAuthenticationException) {
            return "this call needs credentials: HTTP Basic (Authorization: Basic base64(user:password))";
        }
        return "the credentials were not accepted: a wrong user or password, or a malformed Authorization header";
    }

    private static String forbiddenDetail(String user, String method, String path) {
        return "user " + user + " may not " + method + " " + path + ": it lacks the role or the key prefix this needs";
    }

    private void write(HttpServletResponse response, HttpStatus status, String challenge, String title, String detail)
            throws IOException {
        ProblemDetail problem = Problems.problem(status, title, detail, Map.of());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        response.setStatus(status.value());
        if (challenge != null) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge);
        }
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), body);
    }
}
