package pbkv.peer;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Readies the peer path at start-up, before it is needed in a hurry: one HTTP call through the
 * peer client to this node's own health endpoint. Without it, a backup's first peer call ever is
 * its pre-vote in a failover, which then pays for loading the HTTP client stack (~200 ms).
 */
@Component
class PeerWarmUp {

    private final HttpTransport transport;

    PeerWarmUp(HttpTransport transport) {
        this.transport = transport;
    }

    @EventListener
    void onReady(ApplicationReadyEvent event) {
        if (event.getApplicationContext() instanceof WebServerApplicationContext web && web.getWebServer() != null) {
            transport.warmUp(web.getWebServer().getPort());
        }
    }
}
