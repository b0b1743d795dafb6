package pbkv.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description of the client API at /v3/api-docs (Swagger UI at /swagger-ui.html). The
 * controllers stay free of documentation annotations: the error answers of each operation are
 * listed here, beside one problem-JSON schema, as {@link OutcomeResponses} and the controllers
 * produce them. Peer endpoints (/replicate) are hidden.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiDocs {

    static final String PROBLEM_JSON = "application/problem+json";

    /** Every error answer an operation can give, by path and method. */
    static final Map<String, Map<PathItem.HttpMethod, List<String>>> ERRORS = Map.of(
            "/kv/{key}", Map.of(
                    PathItem.HttpMethod.GET, errors("307", "404", "400", "503", "500"),
                    PathItem.HttpMethod.PUT, errors("307", "412", "400", "413", "503", "507", "500"),
                    PathItem.HttpMethod.DELETE, errors("307", "412", "400", "503", "500")),
            "/kv", Map.of(PathItem.HttpMethod.GET, errors("400", "500")),
            "/cluster", Map.of(PathItem.HttpMethod.GET, errors("500")),
            "/cluster/events", Map.of(PathItem.HttpMethod.GET, errors("400", "503")),
            "/cluster/promote", Map.of(PathItem.HttpMethod.POST, errors("400", "409")));

    private static final Map<String, String> MEANING = Map.ofEntries(
            Map.entry("307", "Not the primary: repeat the request at Location (the primary; X-Pbkv-Primary names it). "
                    + "GET ?consistency=local reads this node's copy instead"),
            Map.entry("400", "Invalid input (key, If-Match, consistency, Last-Event-ID, missing ?unsafe=true): nothing changed"),
            Map.entry("404", "No such key"),
            Map.entry("409", "Promotion refused: the detail says why"),
            Map.entry("412", "Version mismatch: If-Match differs from the key's version (currentVersion); nothing changed"),
            Map.entry("413", "Value too large (kv.max-value-size); nothing changed"),
            Map.entry("500", "Internal error; for a write, outcome \"unknown\": read the key to find out"),
            Map.entry("503", "Unavailable (no primary, lease lost, too few in sync, too many event streams): retry after "
                    + "Retry-After; outcome \"not-applied\" or \"unknown\""),
            Map.entry("507", "Store full (kv.max-keys or kv.max-memory); nothing changed"));

    private static List<String> errors(String... codes) {
        return List.of(codes);
    }

    @Bean
    OpenApiCustomizer pbkvApi() {
        return api -> {
            api.info(new Info().title("pbkv").version("0.1")
                    .description("A primary-backup replicated key-value store. Writes and linearizable reads go to the "
                            + "primary; any other node answers 307 with the primary's address. Errors are RFC 9457 "
                            + "problem JSON (" + PROBLEM_JSON + ")."));
            api.getComponents().addSchemas("Problem", problemSchema());
            ERRORS.forEach((path, byMethod) -> {
                PathItem item = api.getPaths() == null ? null : api.getPaths().get(path);
                if (item == null) {
                    return;
                }
                byMethod.forEach((method, codes) -> {
                    Operation op = item.readOperationsMap().get(method);
                    if (op != null) {
                        codes.forEach(code -> op.getResponses().addApiResponse(code, problemResponse(code)));
                    }
                });
            });
            describeValueBody(api);
        };
    }

    private static ApiResponse problemResponse(String code) {
        ApiResponse response = new ApiResponse().description(MEANING.get(code)).content(new Content()
                .addMediaType(PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem"))));
        if (code.equals("307")) {
            response.addHeaderObject("Location", new Header().description("the same request at the primary").schema(new StringSchema()));
            response.addHeaderObject("X-Pbkv-Primary", new Header().description("the primary's member id").schema(new StringSchema()));
        }
        if (code.equals("503")) {
            response.addHeaderObject("Retry-After", new Header().description("seconds").schema(new StringSchema()));
        }
        return response;
    }

    /** The value is the raw request body, read by the controller itself, so springdoc cannot see it. */
    private static void describeValueBody(OpenAPI api) {
        PathItem key = api.getPaths() == null ? null : api.getPaths().get("/kv/{key}");
        if (key != null && key.getPut() != null) {
            key.getPut().requestBody(new RequestBody().required(false).description("the value, UTF-8 text (at most kv.max-value-size)")
                    .content(new Content().addMediaType("text/plain", new MediaType().schema(new StringSchema()))));
        }
    }

    private static Schema<?> problemSchema() {
        return new ObjectSchema().description("RFC 9457 problem details")
                .addProperty("type", new StringSchema().format("uri"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new Schema<Integer>().type("integer"))
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema().format("uri"))
                .addProperty("outcome", new StringSchema()._enum(List.of("not-applied", "unknown"))
                        .description("for writes that failed: whether the write may have been applied"));
    }
}
