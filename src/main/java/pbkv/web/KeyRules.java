package pbkv.web;

import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;

/** What a key may be: 1 to 256 bytes of URL-safe text (letters, digits, and - . _ ~ :). */
final class KeyRules {
    static final int MAX_KEY_BYTES = 256;
    private static final Pattern URL_SAFE = Pattern.compile("[A-Za-z0-9._~:-]+");

    private KeyRules() {
    }

    static void check(String key) {
        if (key == null || key.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid key", "the key is empty");
        }
        if (key.length() > MAX_KEY_BYTES) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid key",
                    "the key is " + key.length() + " bytes; at most " + MAX_KEY_BYTES + " are allowed");
        }
        if (!URL_SAFE.matcher(key).matches()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid key",
                    "keys are URL-safe text: letters, digits and - . _ ~ : only");
        }
    }
}
