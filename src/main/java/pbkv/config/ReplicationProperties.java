package pbkv.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import pbkv.core.ReplicationMode;

/** How writes are replicated, and the limits on batches, the retained log and waiting writes. */
@ConfigurationProperties("replication")
public record ReplicationProperties(
        @DefaultValue("sync") ReplicationMode mode,
        @DefaultValue("1s") Duration timeout,
        @DefaultValue("3s") Duration writeTimeout,
        @DefaultValue("1") int minInSync,
        @DefaultValue("8192") int maxBatchEntries,
        @DefaultValue("4MB") DataSize maxBatchSize,
        @DefaultValue("1000000") int logRetention,
        @DefaultValue("20000") int snapshotChunkEntries,
        @DefaultValue("10000") int maxPendingOperations,
        @DefaultValue("3") int maxRetries) {
}
