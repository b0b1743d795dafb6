package pbkv.peer;

import java.util.List;
import java.util.Set;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import pbkv.core.Configuration;
import pbkv.core.LogEntry;
import pbkv.core.LogPosition;
import pbkv.core.ReplicateReply;
import pbkv.core.ReplicateRequest;
import pbkv.core.SnapshotChunk;
import pbkv.core.SnapshotItem;
import pbkv.core.VoteReply;
import pbkv.core.VoteRequest;
import tools.jackson.databind.ObjectMapper;

/**
 * Readies the peer path at start-up, before it is needed in a hurry: the JSON (de)serializers of
 * every peer message, and one HTTP call through the peer client to this node's own health
 * endpoint. Without it, a backup's first peer call ever is its pre-vote in a failover.
 */
@Component
class PeerWarmUp {

    private final ObjectMapper json;
    private final HttpTransport transport;

    PeerWarmUp(ObjectMapper json, HttpTransport transport) {
        this.json = json;
        this.transport = transport;
    }

    @EventListener
    void onReady(ApplicationReadyEvent event) {
        Configuration config = new Configuration(1, "a", Set.of("a"));
        LogPosition position = new LogPosition(1, 1);
        for (Object sample : List.of(
                new VoteRequest("a", 1, config, position, false, true),
                new VoteReply("a", 1, 1, true, "granted", config),
                new ReplicateRequest("a", 1, config, position, List.of(new LogEntry(1, 2, "k", "v")), 1),
                new ReplicateReply("a", 1, ReplicateReply.Status.OK, 1, position, config),
                new SnapshotChunk("a", 1, config, 1, position, 0, List.of(new SnapshotItem("k", "v", 1)), true, 1))) {
            json.readValue(json.writeValueAsString(sample), sample.getClass());
        }
        if (event.getApplicationContext() instanceof WebServerApplicationContext web && web.getWebServer() != null) {
            transport.warmUp("http://127.0.0.1:" + web.getWebServer().getPort() + "/actuator/health");
        }
    }
}
