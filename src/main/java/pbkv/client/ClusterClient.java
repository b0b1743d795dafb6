package pbkv.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends one request to the cluster: to the last member that answered, following 307s to the
 * primary (at most {@link #MAX_REDIRECTS}), and on a refused connection or a 503 that applied
 * nothing, to the next member, until the deadline. A write whose request may have reached a node
 * that then gave no answer is not resent: its outcome is unknown, and resending a
 * compare-and-set could turn its own success into a 412.
 */
final class ClusterClient {

    static final int MAX_REDIRECTS = 3;
    private static final Duration PAUSE_BETWEEN_ROUNDS = Duration.ofMillis(200);

    /** What the cluster answered, or why there is no answer ({@code status} 0). */
    record Answer(int status, String body, Map<String, List<String>> headers, String node, String failure) {
        Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }
    }

    private final List<String> members;
    private final Duration deadline;
    private final HttpClient http;
    private int current;

    ClusterClient(List<String> members, Duration deadline) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("no members to send to");
        }
        this.members = List.copyOf(members);
        this.deadline = deadline;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    HttpClient http() {
        return http;
    }

    List<String> members() {
        return members;
    }

    Answer send(String method, String path, String body, Map<String, String> headers) {
        boolean write = !method.equals("GET");
        Instant giveUp = Instant.now().plus(deadline);
        String lastFailure = "no member tried";
        for (int attempt = 0; Instant.now().isBefore(giveUp); attempt++) {
            String node = members.get(current);
            Answer answer = followingRedirects(method, URI.create(node + path), body, headers, giveUp);
            boolean retry = answer.status() == 0 ? answer.failure().startsWith("refused")
                    || (!write && !answer.failure().startsWith("outcome unknown"))
                    : answer.status() == 503 && !answer.body().contains("\"outcome\":\"unknown\"");
            if (!retry) {
                return answer;
            }
            lastFailure = answer.status() == 0 ? answer.failure() : node + " answered 503";
            current = (current + 1) % members.size();
            if (current == 0) {
                pause();
            }
        }
        return new Answer(0, "", Map.of(), null, "unavailable: no member answered within " + deadline.toMillis()
                + " ms (last: " + lastFailure + ")");
    }

    private Answer followingRedirects(String method, URI uri, String body, Map<String, String> headers, Instant giveUp) {
        URI target = uri;
        for (int hop = 0; ; hop++) {
            Answer answer = once(method, target, body, headers, giveUp);
            Optional<String> location = answer.header("Location");
            if (answer.status() != 307 || location.isEmpty() || hop == MAX_REDIRECTS) {
                return answer;
            }
            target = target.resolve(location.get());
            int known = members.indexOf(target.getScheme() + "://" + target.getAuthority());
            if (known >= 0) {
                current = known; // the primary: next requests go straight there
            }
        }
    }

    private Answer once(String method, URI uri, String body, Map<String, String> headers, Instant giveUp) {
        Duration left = Duration.between(Instant.now(), giveUp);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        String node = uri.getScheme() + "://" + uri.getAuthority();
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r.headers().map(), node, null);
        } catch (ConnectException | HttpConnectTimeoutException e) {
            return new Answer(0, "", Map.of(), node, "refused: " + node + " (" + e.getClass().getSimpleName() + ")");
        } catch (HttpTimeoutException e) {
            return new Answer(0, "", Map.of(), node, (method.equals("GET") ? "timeout: " : "outcome unknown: ") + node
                    + " took longer than the deadline");
        } catch (IOException e) {
            return new Answer(0, "", Map.of(), node, (method.equals("GET") ? "failed: " : "outcome unknown: ") + node
                    + " broke off (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "", Map.of(), node, "outcome unknown: interrupted");
        }
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE_BETWEEN_ROUNDS.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
