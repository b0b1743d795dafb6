package pbkv.web;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;

/**
 * The If-Match header of a conditional write, parsed strictly: a version number, quoted as an
 * entity tag ({@code "3"}) or bare ({@code 3}), or {@code *} (the key must exist, any version).
 * Anything else is refused rather than guessed at: a lenient parse reads {@code "1"2"} as version
 * 12, and a compare-and-set against a version the client never saw is worse than a 400.
 */
final class IfMatch {

    /** Stands for {@code *}: the write applies to whatever version the key has, if it has one. */
    static final long ANY_VERSION = pbkv.core.ClientWrite.ANY_VERSION;

    // At most 18 digits: every such number fits a long, so no overflow reaches the parse.
    private static final Pattern VERSION = Pattern.compile("\"([0-9]{1,18})\"|([0-9]{1,18})");

    private IfMatch() {
    }

    /** The expected version, {@link #ANY_VERSION} for {@code *}, or null without the header. */
    static Long parse(String header) {
        if (header == null) {
            return null;
        }
        String value = header.strip();
        if (value.equals("*")) {
            return ANY_VERSION;
        }
        Matcher m = VERSION.matcher(value);
        if (!m.matches()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid If-Match",
                    "If-Match takes one version number, quoted (\"3\") or bare (3), as returned in \"version\", or *");
        }
        return Long.parseLong(m.group(1) != null ? m.group(1) : m.group(2));
    }
}
