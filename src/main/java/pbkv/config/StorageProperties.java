package pbkv.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code storage.mode}: {@code disk} keeps the store and log in node.data-dir, so a restarted node
 * comes back with its data; {@code memory} loses them, and a restarted node is stale until it
 * has caught up. {@code storage.fsync}: force each write to the device (survives power loss, not
 * just kill -9), at the cost of write latency.
 */
@ConfigurationProperties("storage")
public record StorageProperties(@DefaultValue("disk") Mode mode, @DefaultValue("false") boolean fsync) {
    public enum Mode { DISK, MEMORY }
}
