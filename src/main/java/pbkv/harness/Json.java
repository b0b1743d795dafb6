package pbkv.harness;

import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * The one JSON helper of the bench, the scenarios and the tests (Jackson 3, which the node's jar has
 * anyway): the nodes' answers as a tree or a map, and strings quoted for result files.
 */
public final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    /** Parses {@code text}; anything that is not JSON (an HTML error page, a cut-off body) is a missing node. */
    public static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return MAPPER.readTree(text);
        } catch (JacksonException e) {
            return MissingNode.getInstance();
        }
    }

    /** Text of a field (numbers rendered as text), or null when absent or JSON null. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asString(null);
    }

    /** A JSON object as a map of maps, lists, strings, numbers, booleans and nulls; null if {@code text} is not one. */
    public static Map<String, Object> object(String text) {
        if (text == null) {
            return null;
        }
        try {
            return MAPPER.readValue(text, new TypeReference<Map<String, Object>>() { });
        } catch (JacksonException notAnObject) {
            return null;
        }
    }

    /** {@code s} as a JSON string literal, quotes and escapes included. */
    public static String quote(String s) {
        return MAPPER.writeValueAsString(s);
    }
}
