package pbkv.observability;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;
import pbkv.peer.MembershipAgreement;

/**
 * {@code components.membership} in health, and {@code pbkv_membership_*} metrics: a node whose
 * cluster fingerprint differs from its peers' is DOWN (see {@link MembershipAgreement} for who is
 * blamed), with the reason and both fingerprints in its details. Only reads.
 */
@Component("membership")
class MembershipObservation implements HealthIndicator, MeterBinder {

    private final MembershipAgreement membership;

    MembershipObservation(MembershipAgreement membership) {
        this.membership = membership;
    }

    @Override
    public Health health() {
        String problem = membership.unhealthyReason();
        Health.Builder health = problem == null ? Health.up() : Health.down().withDetail("problem", problem);
        health.withDetail("fingerprint", membership.own().value());
        membership.mismatches().forEach((peer, m) -> health.withDetail("differs." + peer, m.theirFingerprint()));
        return health.build();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("pbkv.membership.refusals", membership, MembershipAgreement::refusals)
                .description("peer messages refused, either way, because the cluster fingerprints differ").register(registry);
        Gauge.builder("pbkv.membership.differing.peers", membership, m -> m.mismatches().size())
                .description("peers whose cluster fingerprint differs from this node's").register(registry);
    }
}
