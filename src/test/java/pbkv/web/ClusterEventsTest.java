package pbkv.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * GET /cluster/events on one real node (the primary of a two-node cluster whose backup never runs):
 * replica events with increasing ids, resumable with Last-Event-ID, a stats event every second, a
 * bound on open streams; and CORS for the members' origins on the shared paths only.
 */
@TestPropertySource(properties = "console.max-subscribers=4")
class ClusterEventsTest extends OneNodeTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Autowired
    EventStreams streams;

    @Test
    void theStreamReplaysKeptEventsWithIncreasingIdsAndResumesAfterLastEventId() throws Exception {
        List<Event> replayed;
        try (Stream events = open(Map.of())) {
            replayed = events.replicaEventsUntilStats();
        }
        assertThat(replayed).isNotEmpty();
        assertThat(replayed).extracting(Event::id).isSorted().doesNotHaveDuplicates();
        assertThat(replayed).anySatisfy(e -> assertThat(e.data()).contains("\"kind\":\"role\"", "role=PRIMARY"));

        try (Stream resumed = open(Map.of("Last-Event-ID", Long.toString(replayed.get(0).id())))) {
            assertThat(resumed.replicaEventsUntilStats()).containsExactlyElementsOf(replayed.subList(1, replayed.size()));
        }
        try (Stream upToDate = open(Map.of("Last-Event-ID", Long.toString(replayed.get(replayed.size() - 1).id())))) {
            assertThat(upToDate.replicaEventsUntilStats()).isEmpty();
        }
    }

    @Test
    void everySecondAStatsEventCarriesTheWriteRateAndCommitLatency() throws Exception {
        try (Stream events = open(Map.of())) {
            events.replicaEventsUntilStats();
            for (int i = 0; i < 5; i++) {
                assertThat(send("PUT", "/kv/rate" + i, "v", Map.of()).status()).isEqualTo(200);
            }
            // The next stats event may close the second the writes straddle; one of two counts them.
            String stats = events.nextStats() + events.nextStats();
            assertThat(stats).containsPattern("\"writesPerSecond\":[1-9]").contains("\"meanLatencyMs\":");
        }
    }

    @Test
    void oneStreamMoreThanConsoleMaxSubscribersIsRefusedWithProblemJson() throws Exception {
        List<Stream> open = new ArrayList<>();
        try {
            Refusal refused = null;
            for (int i = 0; i <= 4 && refused == null; i++) {
                HttpResponse<java.util.stream.Stream<String>> r = http.send(request("/cluster/events",
                                Map.of("Accept", "text/event-stream")).GET().build(),
                        HttpResponse.BodyHandlers.ofLines());
                if (r.statusCode() == 200) {
                    open.add(new Stream(r));
                } else {
                    refused = new Refusal(r.statusCode(), String.join("\n", r.body().toList()));
                }
            }
            assertThat(refused).as("a fifth stream is refused").isNotNull();
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.body()).contains("\"title\":\"Too many event streams\"", "console.max-subscribers");
        } finally {
            open.forEach(Stream::close);
            // The node notices a closed stream at its next write (the stats event each second).
            await().atMost(WAIT).until(() -> streams.subscriberCount() == 0);
        }
    }

    @Test
    void aMalformedLastEventIdIsABadRequest() throws Exception {
        Reply r = send("GET", "/cluster/events", null, Map.of("Last-Event-ID", "yesterday",
                "Accept", "text/event-stream"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("Invalid Last-Event-ID");
    }

    @Test
    void aMembersOriginMayReadTheClusterAndWriteKeysButNoOtherOriginMay() throws Exception {
        Reply member = send("GET", "/cluster", null, Map.of("Origin", "http://127.0.0.1:2"));
        assertThat(member.status()).isEqualTo(200);
        assertThat(member.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://127.0.0.1:2");

        Reply localhost = send("GET", "/kv", null, Map.of("Origin", "http://localhost:2"));
        assertThat(localhost.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:2");

        Reply preflight = send("OPTIONS", "/kv/k", null, Map.of("Origin", "http://127.0.0.1:1",
                "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "if-match"));
        assertThat(preflight.status()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("PUT");

        Reply stranger = send("GET", "/cluster", null, Map.of("Origin", "http://evil.example:80"));
        assertThat(stranger.status()).isEqualTo(403);
        assertThat(stranger.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        Reply promote = send("POST", "/cluster/promote", null, Map.of("Origin", "http://127.0.0.1:2"));
        assertThat(promote.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    private HttpRequest.Builder request(String path, Map<String, String> headers) {
        HttpRequest.Builder b = request(path).timeout(WAIT);
        headers.forEach(b::header);
        return b;
    }

    private Stream open(Map<String, String> headers) throws Exception {
        HttpResponse<java.util.stream.Stream<String>> r = http.send(request("/cluster/events", headers).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        return new Stream(r);
    }

    record Event(long id, String name, String data) {
    }

    /** An open event stream: a reader thread parses events into a queue, so reads can time out. */
    private static final class Stream implements AutoCloseable {
        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        private final java.util.stream.Stream<String> lines;

        Stream(HttpResponse<java.util.stream.Stream<String>> response) {
            this.lines = response.body();
            Thread reader = new Thread(this::read, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            long id = -1;
            String name = "message";
            StringBuilder data = new StringBuilder();
            try {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.isEmpty()) {
                        if (!data.isEmpty()) {
                            events.add(new Event(id, name, data.toString()));
                        }
                        id = -1;
                        name = "message";
                        data.setLength(0);
                    } else if (line.startsWith("id:")) {
                        id = Long.parseLong(line.substring(3).trim());
                    } else if (line.startsWith("event:")) {
                        name = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5));
                    }
                }
            } catch (UncheckedIOException | IllegalStateException closed) {
                // close() ends the stream under the reader
            }
        }

        List<Event> replicaEventsUntilStats() throws InterruptedException {
            List<Event> replica = new ArrayList<>();
            for (Event e = next(); !e.name().equals("stats"); e = next()) {
                replica.add(e);
            }
            return replica;
        }

        String nextStats() throws InterruptedException {
            for (Event e = next(); ; e = next()) {
                if (e.name().equals("stats")) {
                    return e.data();
                }
            }
        }

        private Event next() throws InterruptedException {
            Event e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(e).as("an event within " + WAIT).isNotNull();
            return e;
        }

        @Override
        public void close() {
            lines.close();
        }
    }

    private record Refusal(int status, String body) {
    }
}
