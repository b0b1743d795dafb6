package pbkv.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * A password kept as plain text ({noop} or no {id}), compared in constant time: Spring's
 * NoOpPasswordEncoder is deprecated and compares with String.equals, whose timing leaks how many
 * leading characters a guess got right.
 */
final class PlainPasswordEncoder implements PasswordEncoder {

    static final PlainPasswordEncoder INSTANCE = new PlainPasswordEncoder();

    private PlainPasswordEncoder() {
    }

    @Override
    public String encode(CharSequence rawPassword) {
        return rawPassword.toString();
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        return rawPassword != null && encodedPassword != null && MessageDigest.isEqual(
                rawPassword.toString().getBytes(StandardCharsets.UTF_8), encodedPassword.getBytes(StandardCharsets.UTF_8));
    }
}
