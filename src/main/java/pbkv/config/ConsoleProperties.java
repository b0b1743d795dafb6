package pbkv.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The live console and its event stream.
 *
 * @param allowedOrigins  origins whose pages may call GET /cluster, /cluster/events and /kv from a
 *                        browser (CORS). Empty: the members' own origins, so a console loaded from
 *                        one member can follow the primary to another, and no other site can
 * @param eventLogSize    events kept for GET /cluster/events to replay (Last-Event-ID)
 * @param maxSubscribers  open event streams at once; one more is refused with 503
 * @param streamTimeout   an event stream is closed after this; browsers reconnect by themselves
 */
@ConfigurationProperties("console")
public record ConsoleProperties(@DefaultValue List<String> allowedOrigins, @DefaultValue("1000") int eventLogSize,
                                @DefaultValue("32") int maxSubscribers, @DefaultValue("10m") Duration streamTimeout) {

    public ConsoleProperties {
        if (eventLogSize < 1 || maxSubscribers < 1 || streamTimeout.isNegative() || streamTimeout.isZero()) {
            throw new InvalidSettingsException("console", "event-log-size and max-subscribers must be at least 1, "
                    + "stream-timeout positive", "Set console.event-log-size, console.max-subscribers and "
                    + "console.stream-timeout to positive values, or remove them for the defaults.");
        }
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    /**
     * The configured origins, or else each member url's scheme://host:port; a loopback member is
     * also allowed as localhost, the name a browser on the same machine is usually given.
     */
    public List<String> originsOr(ClusterProperties cluster) {
        if (!allowedOrigins.isEmpty()) {
            return allowedOrigins;
        }
        return cluster.members().stream().map(m -> URI.create(m.url())).flatMap(u -> {
            String origin = u.getScheme() + "://" + u.getHost() + ":" + u.getPort();
            return "127.0.0.1".equals(u.getHost())
                    ? Stream.of(origin, u.getScheme() + "://localhost:" + u.getPort()) : Stream.of(origin);
        }).distinct().toList();
    }
}
