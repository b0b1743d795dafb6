package pbkv.harness;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * Reads {@code /actuator/health} from nodes' real ports, all nodes in parallel so that one paused node
 * costs one timeout, not one per node. A node that does not answer in time is simply "not reachable".
 */
final class HealthProbe {

    static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final HttpClient http;

    HealthProbe() {
        this(null);
    }

    /** {@code tls}: how to reach nodes that serve HTTPS; null for plain HTTP. */
    HealthProbe(SSLContext tls) {
        http = KvClient.newHttpClient(tls);
    }

    Optional<NodeHealth> health(NodeProcess node) {
        return healthOf(java.util.List.of(node)).nodes().get(node.id());
    }

    /** Health of every given node that answered with a health document within the timeout. */
    ClusterHealth healthOf(Collection<NodeProcess> nodes) {
        Map<String, CompletableFuture<Optional<NodeHealth>>> pending = new LinkedHashMap<>();
        for (NodeProcess node : nodes) {
            pending.put(node.id(), node.isAlive() && !node.isPaused()
                    ? request(node)
                    : CompletableFuture.completedFuture(Optional.empty()));
        }
        Map<String, Optional<NodeHealth>> result = new LinkedHashMap<>();
        pending.forEach((id, future) -> result.put(id, await(future)));
        return new ClusterHealth(result);
    }

    private CompletableFuture<Optional<NodeHealth>> request(NodeProcess node) {
        HttpRequest request = KvClient.request("GET", URI.create(node.baseUrl() + "/actuator/health"), null, Map.of(), TIMEOUT);
        // a DOWN node answers 503 with the same document, so the status code is not looked at
        return http.sendAsync(request, BodyHandlers.ofString())
                .thenApply(HttpResponse::body)
                .thenApply(NodeHealth::parse)
                .thenApply(health -> Optional.of(health).filter(h -> h.status() != null))
                .exceptionally(failure -> Optional.empty());
    }

    private static Optional<NodeHealth> await(CompletableFuture<Optional<NodeHealth>> future) {
        try {
            return future.get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            future.cancel(true);
            return Optional.empty();
        }
    }
}
