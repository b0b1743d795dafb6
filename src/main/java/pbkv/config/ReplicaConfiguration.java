package pbkv.config;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;
import pbkv.core.DurableLog;
import pbkv.core.Member;
import pbkv.core.Replica;
import pbkv.core.ReplicaListener;
import pbkv.core.ReplicaSettings;
import pbkv.peer.ClusterFingerprint;
import pbkv.peer.HttpTransport;
import pbkv.peer.MembershipAgreement;
import pbkv.peer.PeerClient;
import pbkv.persistence.DataDirectory;
import pbkv.persistence.FileDurableLog;
import pbkv.persistence.FileIo;
import pbkv.persistence.PowerLossJournal;
import pbkv.persistence.FileVoterStore;
import tools.jackson.databind.ObjectMapper;

/** Wires the framework-free core into Spring: settings from properties, HTTP transport, clock. */
@Configuration(proxyBeanMethods = false)
class ReplicaConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ReplicaSettings replicaSettings(NodeProperties node, ClusterProperties cluster, TimingProperties.Heartbeat heartbeat,
                                    TimingProperties.Failure failure, TimingProperties.Failover failover,
                                    ReplicationProperties replication, KvProperties kv) {
        SettingsRules.check(cluster, heartbeat, failure, replication, kv);
        List<Member> members = cluster.members().stream().map(m -> new Member(m.id(), m.witness())).toList();
        return new ReplicaSettings(node.id(), members, cluster.initialPrimary(), heartbeat.interval(), failure.timeout(),
                failure.leaseOrDefault(), replication.timeout(), replication.writeTimeout(), replication.mode(),
                replication.minInSync(), replication.maxBatchEntries(), replication.maxBatchSize().toBytes(),
                replication.logRetention(), replication.snapshotChunkEntries(), replication.maxPendingOperations(),
                kv.maxKeys(), kv.maxMemory().toBytes(), failover.allowUnsafeTwoNode());
    }

    @Bean
    PeerTls peerTls(ClusterProperties cluster, ClusterSslProperties ssl, ObjectProvider<ServerProperties> server, SslBundles bundles) {
        ServerProperties serverProperties = server.getIfAvailable();
        return PeerTls.resolve(cluster.members(), ssl.bundle(), serverProperties == null ? null : serverProperties.getSsl(), bundles);
    }

    @Bean
    MembershipAgreement membershipAgreement(ClusterProperties cluster, NodeProperties node) {
        ClusterFingerprint own = ClusterFingerprint.of(cluster.name(), cluster.members().stream()
                .map(m -> new ClusterFingerprint.Member(m.id(), m.url(), m.witness())).toList());
        return new MembershipAgreement(own, peerUrls(cluster, node), cluster.members().size());
    }

    @Bean(destroyMethod = "close")
    HttpTransport httpTransport(RestClient.Builder builder, ObjectMapper json, ClusterProperties cluster,
                                ReplicationProperties replication, NodeProperties node, Clock clock, MembershipAgreement membership,
                                PeerTls tls) {
        PeerClient client = new PeerClient(builder, json, cluster.secret(), replication.timeout(), replication.maxRetries(),
                node.id(), membership, tls.bundle());
        Map<String, String> urls = peerUrls(cluster, node);
        return new HttpTransport(client, urls, clock, 8 * Math.max(1, urls.size()));
    }

    private static Map<String, String> peerUrls(ClusterProperties cluster, NodeProperties node) {
        return cluster.members().stream()
                .filter(m -> !m.id().equals(node.id()))
                .collect(Collectors.toMap(ClusterProperties.Member::id, ClusterProperties.Member::peerUrl));
    }

    @Bean
    DataDirectory dataDirectory(NodeProperties node, ClusterProperties cluster, StorageProperties storage) {
        java.nio.file.Path path = node.dataDir().resolve(node.id());
        FileIo io = storage.powerLossJournal() ? new PowerLossJournal(FileIo.REAL, path) : FileIo.REAL;
        return DataDirectory.open(path, cluster.name(), node.id(), io);
    }

    // No destroy method: the replica may persist until the JVM exits. The snapshot thread is a
    // daemon, and a snapshot it leaves half-written is a temporary file the next start deletes.
    @Bean(destroyMethod = "")
    DurableLog durableLog(StorageProperties storage, ReplicationProperties replication, DataDirectory dataDirectory) {
        return storage.mode() == StorageProperties.Mode.DISK
                ? new FileDurableLog(dataDirectory, new FileDurableLog.Settings(storage.fsync(), storage.segmentSize().toBytes(),
                        storage.snapshotInterval(), replication.logRetention()))
                : DurableLog.NONE;
    }

    @Bean
    Replica replica(ReplicaSettings settings, HttpTransport transport, DurableLog durableLog, DataDirectory dataDirectory,
                    Clock clock, List<ReplicaListener> listeners) {
        ReplicaListener listener = CompositeListener.of(listeners);
        Replica replica = new Replica(settings, transport, new FileVoterStore(dataDirectory), durableLog,
                new Random(new SecureRandom().nextLong()), listener, clock.instant());
        transport.onReplies(replica::onReply);
        return replica;
    }
}
