package pbkv.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import pbkv.persistence.FsyncPolicy;

/**
 * {@code storage.mode}: {@code disk} keeps the store and log in node.data-dir, so a restarted node
 * comes back with its data; {@code memory} loses them, and a restarted node is stale until it
 * has caught up. {@code storage.fsync}: {@code batch} forces each replication round to the device
 * (survives power loss), {@code always} each entry, {@code never} hands writes to the operating
 * system only (survives kill -9, not power loss). The log is cut into segments of
 * {@code storage.segment-size}; every {@code storage.snapshot-interval} entries a background
 * thread snapshots the closed segments, and segments both snapshots cover are deleted once they
 * are more than replication.log-retention entries old. {@code storage.power-loss-journal} is for
 * fault-injection tests only: it notes each file's length at every fsync, so that a test can cut
 * the files back to what a power loss would leave ({@code PowerLossJournal}).
 */
@ConfigurationProperties("storage")
public record StorageProperties(@DefaultValue("disk") Mode mode,
                                @DefaultValue("batch") FsyncPolicy fsync,
                                @DefaultValue("64MB") DataSize segmentSize,
                                @DefaultValue("100000") long snapshotInterval,
                                @DefaultValue("false") boolean powerLossJournal) {
    public enum Mode { DISK, MEMORY }

    public StorageProperties {
        if (segmentSize.toBytes() < 4096) {
            throw new IllegalArgumentException("storage.segment-size must be at least 4KB, not " + segmentSize);
        }
        if (snapshotInterval < 1) {
            throw new IllegalArgumentException("storage.snapshot-interval must be at least 1 entry, not " + snapshotInterval);
        }
    }
}
