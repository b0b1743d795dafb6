package pbkv.config;

import java.time.Duration;
import pbkv.persistence.FileDurableLog;

/**
 * Combinations of settings that would start a node which cannot work as configured. Each is
 * refused at start-up with the property to change, rather than found during a failover.
 */
final class SettingsRules {

    private SettingsRules() {
    }

    static void check(ClusterProperties cluster, TimingProperties.Heartbeat heartbeat, TimingProperties.Failure failure,
                      ReplicationProperties replication, KvProperties kv) {
        long dataNodes = cluster.members().stream().filter(m -> !m.witness()).count();
        if (replication.minInSync() > dataNodes) {
            throw new InvalidSettingsException("replication.min-in-sync", "it is " + replication.minInSync()
                    + " but the cluster has only " + dataNodes + " data node(s): no write could ever be acknowledged",
                    "Set replication.min-in-sync to at most the number of non-witness members (" + dataNodes + ").");
        }
        Duration lease = failure.leaseOrDefault();
        if (lease.compareTo(heartbeat.interval()) <= 0) {
            throw new InvalidSettingsException("failure.lease", "the lease (" + lease + ") is no longer than heartbeat.interval ("
                    + heartbeat.interval() + "): the primary's lease would lapse between two heartbeats and reads would stall",
                    "Make failure.lease (default: half of failure.timeout) longer than heartbeat.interval.");
        }
        if (replication.writeTimeout().compareTo(replication.timeout()) < 0) {
            throw new InvalidSettingsException("replication.write-timeout", "it is " + replication.writeTimeout()
                    + ", shorter than replication.timeout (" + replication.timeout() + "): a write would time out before a slow"
                    + " backup could even be dropped from the in-sync set", "Set replication.write-timeout to at least replication.timeout.");
        }
        long maxValue = kv.maxValueSize().toBytes();
        if (maxValue < 1 || maxValue > FileDurableLog.MAX_VALUE_BYTES) {
            throw new InvalidSettingsException("kv.max-value-size", "it is " + kv.maxValueSize()
                    + ", outside what one log record holds (1B to " + FileDurableLog.MAX_VALUE_BYTES + " bytes)",
                    "Set kv.max-value-size between 1B and " + (FileDurableLog.MAX_VALUE_BYTES >> 20) + "MB.");
        }
    }
}
