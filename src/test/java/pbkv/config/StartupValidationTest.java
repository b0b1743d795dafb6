package pbkv.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.util.unit.DataSize;
import pbkv.core.ReplicationMode;

/** Every setting pbkv refuses at start-up is refused with the property's name and a way out. */
class StartupValidationTest {

    private static final ClusterProperties.Member PRIMARY = member("primary", "http://127.0.0.1:8000", false);
    private static final ClusterProperties.Member BACKUP = member("backup", "http://127.0.0.1:9001", false);
    private static final ClusterProperties.Member WITNESS = member("witness", "http://127.0.0.1:9003", true);

    @Test
    void aMemberIdListedTwiceIsRefused() {
        assertRefused(() -> cluster(PRIMARY, BACKUP, member("backup", "http://127.0.0.1:9002", false)),
                "cluster.members[2].id", "listed twice");
    }

    @Test
    void aMissingOrMalformedMemberUrlIsRefused() {
        assertRefused(() -> cluster(PRIMARY, member("backup", null, false)), "cluster.members[1].url", "missing");
        assertRefused(() -> cluster(PRIMARY, member("backup", "ftp://127.0.0.1:9001", false)), "cluster.members[1].url", "not http");
        assertRefused(() -> cluster(PRIMARY, member("backup", "http://127.0.0.1", false)), "cluster.members[1].url", "a port");
        assertRefused(() -> cluster(PRIMARY, member("backup", "http://127.0.0.1:9001/kv", false)), "cluster.members[1].url", "end at the port");
        assertRefused(() -> cluster(PRIMARY, member("backup", "http://a b:1", false)), "cluster.members[1].url", "malformed");
        assertRefused(() -> cluster(PRIMARY, new ClusterProperties.Member("backup", "http://127.0.0.1:9001", false, "tcp://x:1")),
                "cluster.members[1].via", "not http");
    }

    @Test
    void aMemberUrlLosesItsTrailingSlashSoEveryNodeSpellsItTheSame() {
        assertThat(cluster(PRIMARY, member("backup", "http://127.0.0.1:9001/", false)).urlOf("backup")).isEqualTo("http://127.0.0.1:9001");
    }

    @Test
    void minInSyncAboveTheDataNodesIsRefused() {
        assertRefused(() -> check(cluster(PRIMARY, BACKUP, WITNESS), replication(3, Duration.ofSeconds(1), Duration.ofSeconds(3)),
                Duration.ofMillis(100), null, DataSize.ofMegabytes(1)), "replication.min-in-sync", "only 2 data node");
    }

    @Test
    void aLeaseNoLongerThanTheHeartbeatIsRefused() {
        assertRefused(() -> check(cluster(PRIMARY, BACKUP, WITNESS), replication(1, Duration.ofSeconds(1), Duration.ofSeconds(3)),
                Duration.ofMillis(100), Duration.ofMillis(100), DataSize.ofMegabytes(1)), "failure.lease", "no longer than heartbeat");
    }

    @Test
    void aWriteTimeoutShorterThanTheReplicationTimeoutIsRefused() {
        assertRefused(() -> check(cluster(PRIMARY, BACKUP, WITNESS), replication(1, Duration.ofSeconds(2), Duration.ofSeconds(1)),
                Duration.ofMillis(100), null, DataSize.ofMegabytes(1)), "replication.write-timeout", "shorter than replication.timeout");
    }

    @Test
    void aMaxValueSizeOneLogRecordCannotHoldIsRefused() {
        assertRefused(() -> check(cluster(PRIMARY, BACKUP, WITNESS), replication(1, Duration.ofSeconds(1), Duration.ofSeconds(3)),
                Duration.ofMillis(100), null, DataSize.ofMegabytes(64)), "kv.max-value-size", "one log record holds");
    }

    @Test
    void theDefaultsOfTheLocalClusterPass() {
        check(cluster(PRIMARY, BACKUP, WITNESS), replication(1, Duration.ofSeconds(1), Duration.ofSeconds(3)),
                Duration.ofMillis(100), null, DataSize.ofMegabytes(1));
    }

    @Test
    void theShippedSecretsAreRefusedUnlessTheNodeListensOnLoopbackOnly() {
        MockEnvironment shipped = new MockEnvironment().withProperty("cluster.secret", ShippedSecretsGuard.SHIPPED_CLUSTER_SECRET)
                .withProperty("security.admin-password", "an-admin-password-of-our-own");
        new ShippedSecretsGuard(shipped.withProperty("server.address", "127.0.0.1"));
        new ShippedSecretsGuard(shipped.withProperty("server.address", "localhost"));
        assertRefused(() -> new ShippedSecretsGuard(shipped.withProperty("server.address", "0.0.0.0")), "cluster.secret", "0.0.0.0");
        MockEnvironment unset = new MockEnvironment().withProperty("security.admin-password", ShippedSecretsGuard.SHIPPED_ADMIN_PASSWORD);
        assertThatThrownBy(() -> new ShippedSecretsGuard(unset)).isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("security.admin-password").hasMessageContaining("every interface")
                .satisfies(e -> assertThat(((InvalidSettingsException) e).action()).contains("SECURITY_ADMIN_PASSWORD=", "server.address=127.0.0.1"));
        new ShippedSecretsGuard(new MockEnvironment().withProperty("cluster.secret", "ours").withProperty("security.admin-password", "ours too"));
    }

    private static void check(ClusterProperties cluster, ReplicationProperties replication, Duration heartbeat, Duration lease,
                              DataSize maxValue) {
        SettingsRules.check(cluster, new TimingProperties.Heartbeat(heartbeat, Duration.ofMillis(10)),
                new TimingProperties.Failure(Duration.ofSeconds(1), lease), replication,
                new KvProperties(maxValue, 10_000, 1_000_000, DataSize.ofMegabytes(256)));
    }

    private static ReplicationProperties replication(int minInSync, Duration timeout, Duration writeTimeout) {
        return new ReplicationProperties(ReplicationMode.SYNC, timeout, writeTimeout, minInSync, 8192, DataSize.ofMegabytes(4),
                1_000_000, 20_000, 10_000, 3);
    }

    private static ClusterProperties cluster(ClusterProperties.Member... members) {
        return new ClusterProperties(List.of(members), "a-secret", "primary", "pbkv");
    }

    private static ClusterProperties.Member member(String id, String url, boolean witness) {
        return new ClusterProperties.Member(id, url, witness, null);
    }

    private static void assertRefused(Runnable start, String property, String why) {
        assertThatThrownBy(start::run).isInstanceOf(InvalidSettingsException.class)
                .satisfies(e -> assertThat(((InvalidSettingsException) e).property()).isEqualTo(property))
                .hasMessageContaining(why)
                .satisfies(e -> assertThat(((InvalidSettingsException) e).action()).isNotBlank());
    }
}
