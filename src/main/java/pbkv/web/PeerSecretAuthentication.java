package pbkv.web;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Peers present {@code Authorization: Bearer <cluster.secret>}: the converter takes whatever
 * Authorization header arrived, the manager accepts it only if it is exactly that.
 */
final class PeerSecretAuthentication implements AuthenticationConverter, AuthenticationManager {

    static final String PEER = "peer";
    static final String ROLE_PEER = "ROLE_PEER";

    private final byte[] expectedDigest;

    PeerSecretAuthentication(String secret) {
        this.expectedDigest = sha256("Bearer " + secret);
    }

    /** No header: null, so the request stays unauthenticated and gets the entry point's 401. */
    @Override
    public Authentication convert(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        return header == null ? null : UsernamePasswordAuthenticationToken.unauthenticated(PEER, header);
    }

    @Override
    public Authentication authenticate(Authentication presented) {
        // Digests of equal length compared in constant time: neither the secret's bytes nor its
        // length leak through response timing.
        if (!MessageDigest.isEqual(expectedDigest, sha256(String.valueOf(presented.getCredentials())))) {
            throw new BadCredentialsException("wrong cluster secret");
        }
        return UsernamePasswordAuthenticationToken.authenticated(PEER, null, List.of(new SimpleGrantedAuthority(ROLE_PEER)));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
