package pbkv.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import pbkv.core.ReplicaDefaults;
import pbkv.core.ReplicationMode;

/** How writes are replicated, and the limits on batches, the retained log and waiting writes. */
@ConfigurationProperties("replication")
public record ReplicationProperties(
        @DefaultValue("sync") ReplicationMode mode,
        @DefaultValue(ReplicaDefaults.REPLICATION_TIMEOUT_MS + "ms") Duration timeout,
        @DefaultValue(ReplicaDefaults.WRITE_TIMEOUT_MS + "ms") Duration writeTimeout,
        @DefaultValue("" + ReplicaDefaults.MIN_IN_SYNC) int minInSync,
        @DefaultValue("" + ReplicaDefaults.MAX_BATCH_ENTRIES) int maxBatchEntries,
        @DefaultValue(ReplicaDefaults.MAX_BATCH_MB + "MB") DataSize maxBatchSize,
        @DefaultValue("" + ReplicaDefaults.LOG_RETENTION) int logRetention,
        @DefaultValue("" + ReplicaDefaults.SNAPSHOT_CHUNK_ENTRIES) int snapshotChunkEntries,
        @DefaultValue("" + ReplicaDefaults.MAX_PENDING_OPERATIONS) int maxPendingOperations,
        @DefaultValue("3") int maxRetries) {
}
