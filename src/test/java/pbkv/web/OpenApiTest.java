package pbkv.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * /v3/api-docs lists every public endpoint the node serves (each handler mapping of pbkv.web but the
 * peers' /replicate) with its problem-JSON error answers, and the 307 with its Location header.
 */
class OpenApiTest extends OneNodeTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void theSpecListsEveryPublicEndpointAndNoPeerEndpoint() throws Exception {
        JsonNode paths = spec().path("paths");
        List<String> missing = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        mappings.getHandlerMethods().forEach((info, method) -> {
            if (!method.getBeanType().getPackageName().equals("pbkv.web") || method.getBeanType() == ReplicationController.class
                    || method.hasMethodAnnotation(io.swagger.v3.oas.annotations.Hidden.class)) {
                return;
            }
            for (String path : info.getPatternValues()) {
                String documented = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
                info.getMethodsCondition().getMethods().forEach(m -> {
                    checked.add(m + " " + path);
                    if (paths.path(documented).path(m.name().toLowerCase()).isMissingNode()) {
                        missing.add(m + " " + path);
                    }
                });
            }
        });
        assertThat(checked).contains("GET /kv/{key}", "PUT /kv/{key}", "DELETE /kv/{key}", "GET /cluster/events");
        assertThat(missing).as("endpoints missing from /v3/api-docs").isEmpty();
        assertThat(paths.propertyNames()).contains("/kv", "/kv/{key}", "/cluster", "/cluster/events", "/cluster/promote")
                .noneMatch(p -> p.startsWith("/replicate"));
    }

    @Test
    void everyOperationListsItsErrorAnswersAsProblemJson() throws Exception {
        JsonNode paths = spec().path("paths");
        OpenApiDocs.ERRORS.forEach((path, byMethod) -> byMethod.forEach((method, codes) -> {
            JsonNode responses = paths.path(path).path(method.name().toLowerCase()).path("responses");
            for (String code : codes) {
                assertThat(responses.path(code).path("content").has(OpenApiDocs.PROBLEM_JSON))
                        .as(method + " " + path + " answers " + code + " with problem JSON").isTrue();
            }
        }));
        JsonNode get = paths.path("/kv/{key}").path("get").path("responses");
        assertThat(get.path("307").path("headers").has("Location")).isTrue();
        assertThat(get.path("503").path("headers").has("Retry-After")).isTrue();
        assertThat(paths.path("/kv/{key}").path("put").path("requestBody").path("content").has("text/plain")).isTrue();
    }

    @Test
    void swaggerUiIsServed() throws Exception {
        HttpResponse<String> ui = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/swagger-ui.html")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger-ui");
    }

    private JsonNode spec() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v3/api-docs")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JsonMapper.builder().build().readTree(r.body());
    }
}
