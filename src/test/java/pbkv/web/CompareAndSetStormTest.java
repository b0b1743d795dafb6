package pbkv.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sixteen clients increment one counter with read + compare-and-set. If every successful CAS is
 * exclusive, the counter ends at exactly the number of successes: no lost update, no double apply.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "node.id=primary",
        "cluster.members[0].id=primary",
        "cluster.members[0].url=http://127.0.0.1:1",
        "cluster.secret=storm",
})
@Timeout(120)
class CompareAndSetStormTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int CLIENTS = 16;
    private static final int ATTEMPTS_PER_CLIENT = 60;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("pbkv-storm");
        registry.add("node.data-dir", dir::toString);
    }

    @Test
    void concurrentCompareAndSetOnOneKeyNeverLosesOrDuplicatesAnIncrement() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI counter = URI.create("http://127.0.0.1:" + port + "/kv/counter");
        assertThat(http.send(HttpRequest.newBuilder(counter).PUT(HttpRequest.BodyPublishers.ofString("0")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<int[]>> results = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            results.add(pool.submit(() -> {
                int won = 0;
                int lost = 0;
                for (int i = 0; i < ATTEMPTS_PER_CLIENT; i++) {
                    JsonNode current = JSON.readTree(http.send(HttpRequest.newBuilder(counter).build(),
                            HttpResponse.BodyHandlers.ofString()).body());
                    long n = Long.parseLong(current.path("value").asString());
                    int status = http.send(HttpRequest.newBuilder(counter).header("If-Match", current.path("version").asString())
                            .PUT(HttpRequest.BodyPublishers.ofString(Long.toString(n + 1))).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status == 200) {
                        won++;
                    } else {
                        assertThat(status).isEqualTo(412);
                        lost++;
                    }
                }
                return new int[] {won, lost};
            }));
        }
        int successes = 0;
        int conflicts = 0;
        for (Future<int[]> f : results) {
            int[] r = f.get();
            successes += r[0];
            conflicts += r[1];
        }
        pool.shutdown();

        JsonNode end = JSON.readTree(http.send(HttpRequest.newBuilder(counter).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(Long.parseLong(end.path("value").asString())).isEqualTo(successes);
        assertThat(successes + conflicts).isEqualTo(CLIENTS * ATTEMPTS_PER_CLIENT);
        assertThat(successes).isPositive();
    }
}
