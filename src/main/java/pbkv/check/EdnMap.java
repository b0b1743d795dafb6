package pbkv.check;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads one flat EDN map such as {@code {:process 0, :type :ok, :f :get, :key "5", :value ""}}:
 * just enough EDN for Jepsen history lines. Keys lose their colon; string values are unescaped;
 * {@code nil} becomes {@code null}; anything else (keywords, numbers, vectors) is kept as written.
 */
final class EdnMap {

    private final String text;
    private int pos;

    private EdnMap(String text) {
        this.text = text;
    }

    /** The entries of the map, or throws IllegalArgumentException when the text is not a flat map. */
    static Map<String, String> parse(String text) {
        return new EdnMap(text.strip()).map();
    }

    private Map<String, String> map() {
        expect('{');
        Map<String, String> entries = new HashMap<>();
        while (skipSpace() != '}') {
            String key = token();
            if (!key.startsWith(":")) {
                throw new IllegalArgumentException("map key is not a keyword: " + key);
            }
            skipSpace();
            entries.put(key.substring(1), value());
        }
        pos++;
        if (pos != text.length()) {
            throw new IllegalArgumentException("text after the map");
        }
        return entries;
    }

    private String value() {
        char c = peek();
        if (c == '"') {
            return string();
        }
        if (c == '[' || c == '(' || c == '{') {
            return nested();
        }
        String token = token();
        return token.equals("nil") ? null : token;
    }

    private String string() {
        StringBuilder out = new StringBuilder();
        pos++;
        for (char c = next(); c != '"'; c = next()) {
            if (c == '\\') {
                char escaped = next();
                out.append(switch (escaped) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    default -> escaped;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** A bracketed value, kept verbatim; brackets inside strings are not expected in histories. */
    private String nested() {
        int start = pos;
        int depth = 0;
        do {
            char c = next();
            depth += (c == '[' || c == '(' || c == '{') ? 1 : (c == ']' || c == ')' || c == '}') ? -1 : 0;
        } while (depth > 0);
        return text.substring(start, pos);
    }

    private String token() {
        int start = pos;
        while (pos < text.length() && !isSeparator(text.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw new IllegalArgumentException("expected a value at column " + (pos + 1));
        }
        return text.substring(start, pos);
    }

    private static boolean isSeparator(char c) {
        return Character.isWhitespace(c) || c == ',' || c == '}';
    }

    private char skipSpace() {
        while (pos < text.length() && (Character.isWhitespace(text.charAt(pos)) || text.charAt(pos) == ',')) {
            pos++;
        }
        return peek();
    }

    private void expect(char c) {
        if (skipSpace() != c) {
            throw new IllegalArgumentException("expected '" + c + "' at column " + (pos + 1));
        }
        pos++;
    }

    private char peek() {
        if (pos >= text.length()) {
            throw new IllegalArgumentException("unexpected end of line");
        }
        return text.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }
}
