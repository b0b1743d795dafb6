package pbkv.bench;

import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bench's JSON: Jackson, which the bench has anyway (it runs from the node's Boot jar), for
 * reading the nodes' /cluster and /actuator/health answers and quoting strings in result files.
 */
final class BenchJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private BenchJson() {
    }

    /** A JSON object as a map of maps, lists, strings, numbers, booleans and nulls. */
    static Map<String, Object> object(String text) {
        return JSON.readValue(text, new TypeReference<Map<String, Object>>() { });
    }

    static String quote(String s) {
        return JSON.writeValueAsString(s);
    }
}
