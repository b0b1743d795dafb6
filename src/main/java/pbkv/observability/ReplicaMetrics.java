package pbkv.observability;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;
import pbkv.config.ClusterProperties;
import pbkv.config.NodeProperties;
import pbkv.config.ReplicationProperties;
import pbkv.core.Replica;
import pbkv.core.ReplicaStats;
import pbkv.core.ReplicaView;
import pbkv.core.Role;

/**
 * Prometheus metrics (pbkv_*): role, epoch, in-sync set, log and commit index, per-peer lag in
 * entries and seconds, heartbeats, promotions, writes by outcome ({@link MeteringListener} adds
 * latency and events). Reads a view of the replica, cached for 100 ms so one scrape takes one
 * snapshot; never changes it. The alert rules in docker/prometheus rely on these names and labels:
 * the role is a label of {@code pbkv_role} (1 for the current one) so that primaries can be
 * counted per {@code pbkv_epoch} across nodes.
 */
@Component
class ReplicaMetrics implements MeterBinder {

    private final Replica replica;
    private final Clock clock;
    private final ClusterProperties cluster;
    private final String nodeId;
    private final int minInSync;
    private final LagTimeline timeline = new LagTimeline();
    private volatile ReplicaView cached;
    private volatile Instant cachedAt = Instant.EPOCH;

    ReplicaMetrics(Replica replica, Clock clock, ClusterProperties cluster,
                   NodeProperties node, ReplicationProperties replication) {
        this.replica = replica;
        this.clock = clock;
        this.cluster = cluster;
        this.nodeId = node.id();
        this.minInSync = replication.minInSync();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Role role : Role.values()) {
            Gauge.builder("pbkv.role", this, m -> m.view().role() == role ? 1 : 0).tag("role", role.name())
                    .description("1 for this node's current role").register(registry);
        }
        Gauge.builder("pbkv.epoch", this, m -> m.view().epoch()).description("epoch of the configuration in force").register(registry);
        Gauge.builder("pbkv.log.index", this, m -> m.view().last().index()).description("last log index").register(registry);
        Gauge.builder("pbkv.commit.index", this, m -> m.view().commitIndex()).description("commit index").register(registry);
        Gauge.builder("pbkv.in.sync.members", this, m -> m.view().inSync().size())
                .description("members of the in-sync set this node knows, the primary included").register(registry);
        Gauge.builder("pbkv.min.in.sync", this, m -> m.minInSync)
                .description("replication.min-in-sync: below it the primary refuses writes").register(registry);
        Gauge.builder("pbkv.keys", this, m -> m.view().keys()).description("keys in this node's store").register(registry);
        for (ClusterProperties.Member member : cluster.members()) {
            if (!member.id().equals(nodeId) && !member.witness()) {
                Gauge.builder("pbkv.peer.lag", this, m -> m.view().peers().stream().filter(p -> p.id().equals(member.id()))
                                .mapToLong(ReplicaView.PeerView::lag).findFirst().orElse(0))
                        .tag("peer", member.id()).description("entries the peer lacks (primary only)").register(registry);
                Gauge.builder("pbkv.peer.lag.seconds", this, m -> m.secondsBehind(member.id())).tag("peer", member.id())
                        .description("age of the oldest entry the peer lacks, to the scrape interval (primary only)").register(registry);
            }
        }
        ReplicaStats s = replica.stats();
        counter(registry, "pbkv.heartbeats.sent", s.heartbeatsSent, "heartbeats sent by the primary");
        counter(registry, "pbkv.heartbeats.missed", s.heartbeatsMissed, "heartbeats not answered in time, or primary silences detected");
        counter(registry, "pbkv.promotions", s.promotions, "elections won by this node");
        counter(registry, "pbkv.promotions.unclean", s.uncleanPromotions, "operator-forced promotions (possible data loss)");
        counter(registry, "pbkv.epoch.changes", s.epochChanges, "configuration changes seen");
        counter(registry, "pbkv.snapshots.sent", s.snapshotsSent, "snapshot catch-ups started");
        counter(registry, "pbkv.snapshots.installed", s.snapshotsInstalled, "snapshots installed");
        counter(registry, "pbkv.replicate.stale.epoch", s.staleEpochRejections, "requests refused for a stale epoch");
        counter(registry, "pbkv.entries.replicated", s.entriesReplicated, "log entries applied from a primary");
        counter(registry, "pbkv.storage.failures", s.storageFailures, "writes to disk that failed (nothing of them acknowledged)");
        counter(registry, "pbkv.divergence.dropped", s.divergentDropped,
                "entries dropped on rejoining because the new primary never had them (GET /cluster/divergence)");
        counter(registry, "pbkv.divergence.acknowledged", s.divergentAcknowledged,
                "of those, writes this node had acknowledged to a client: lost writes (zero in sync mode)");
        FunctionCounter.builder("pbkv.writes", s.writesCommitted, AtomicLong::get).tag("outcome", "committed").register(registry);
        FunctionCounter.builder("pbkv.writes", s.writesRejected, AtomicLong::get).tag("outcome", "rejected").register(registry);
        FunctionCounter.builder("pbkv.writes", s.writesUnknown, AtomicLong::get).tag("outcome", "unknown").register(registry);
        FunctionCounter.builder("pbkv.reads", s.readsRejected, AtomicLong::get).tag("outcome", "rejected")
                .description("linearizable reads refused because replication.max-pending-operations were waiting").register(registry);
    }

    private double secondsBehind(String peer) {
        ReplicaView v = view();
        if (v.role() != Role.PRIMARY) {
            return 0; // only the primary's view of its peers is current
        }
        return v.peers().stream().filter(p -> p.id().equals(peer)).findFirst()
                .map(p -> timeline.secondsBehind(p.matchIndex(), p.lag(), clock.instant())).orElse(0.0);
    }

    private ReplicaView view() {
        Instant now = clock.instant();
        ReplicaView v = cached;
        if (v == null || Duration.between(cachedAt, now).toMillis() > 100) {
            v = replica.view(now);
            timeline.record(now, v.last().index());
            cached = v;
            cachedAt = now;
        }
        return v;
    }

    private static void counter(MeterRegistry registry, String name, AtomicLong value, String description) {
        FunctionCounter.builder(name, value, AtomicLong::get).description(description).register(registry);
    }
}
