package pbkv.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import pbkv.config.ClusterProperties;

/** Peers only: /replicate/** needs {@code Authorization: Bearer <cluster.secret>}, else 401. */
@Component
class PeerAuthInterceptor implements HandlerInterceptor {

    private final byte[] expected;

    PeerAuthInterceptor(ClusterProperties cluster) {
        this.expected = ("Bearer " + cluster.secret()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        // Constant-time comparison: the secret must not leak through response timing.
        if (header != null && MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"pbkv-peers\"");
        throw new ApiException(HttpStatus.UNAUTHORIZED, "Unauthenticated peer",
                header == null ? "peer calls need Authorization: Bearer <cluster.secret>" : "wrong cluster secret");
    }
}
