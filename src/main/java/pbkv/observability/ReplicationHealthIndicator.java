package pbkv.observability;

import java.time.Clock;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;
import pbkv.core.Replica;
import pbkv.core.ReplicaView;

/**
 * {@code components.replication.details}: role, epoch, primary, and positions. Only reads. DOWN
 * while the node's last write to disk failed, with the reason in {@code details.storage}.
 */
@Component("replication")
class ReplicationHealthIndicator implements HealthIndicator {

    private final Replica replica;
    private final Clock clock;

    ReplicationHealthIndicator(Replica replica, Clock clock) {
        this.replica = replica;
        this.clock = clock;
    }

    @Override
    public Health health() {
        ReplicaView v = replica.view(clock.instant());
        // A node that cannot persist acknowledges nothing: DOWN tells load balancers and operators.
        Health.Builder health = (v.storageFailure() == null ? Health.up() : Health.down().withDetail("storage", v.storageFailure()))
                .withDetail("node", v.nodeId())
                .withDetail("role", v.role().name())
                .withDetail("epoch", v.epoch())
                .withDetail("primary", v.primary() == null ? "none" : v.primary())
                .withDetail("inSync", v.inSync().stream().sorted().toList())
                .withDetail("lastIndex", v.last().index())
                .withDetail("commitIndex", v.commitIndex());
        if (v.unavailableReason() != null) {
            health.withDetail("unavailable", v.unavailableReason());
        }
        return health.build();
    }
}
