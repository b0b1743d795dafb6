package pbkv.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import pbkv.core.ReplicaDefaults;

/**
 * Client-facing limits: value size, how many keys one listing returns, and how much the store may
 * hold. A put past {@code maxKeys} or {@code maxMemory} is refused with 507 and changes nothing;
 * overwrites that do not grow the store past them and deletes always go through.
 *
 * @param maxKeys   the most keys the store holds. 1,000,000: the bench's catch-up run measured a
 *                  node with 1M keys of 100 bytes and a 1M-entry log at ~290 MB live heap, which
 *                  fits the 480-512 MB heaps we run nodes with; each key costs ~150 bytes of map
 *                  node, version and string headers on top of its bytes, which only this bounds
 * @param maxMemory the UTF-8 bytes of all keys plus values held. 256MB: half of the 512 MB heap of
 *                  {@code bin/cluster}, leaving the other half for the per-key overhead (~150 MB
 *                  at max-keys), the retained log's overwritten values and requests in flight.
 *                  The retained log (replication.log-retention) and a snapshot being sent are not
 *                  counted: size the heap above this bound, not at it
 */
@ConfigurationProperties("kv")
public record KvProperties(@DefaultValue("1MB") DataSize maxValueSize, @DefaultValue("10000") int maxListSize,
                           @DefaultValue("" + ReplicaDefaults.MAX_KEYS) long maxKeys, @DefaultValue(ReplicaDefaults.MAX_MEMORY_MB + "MB") DataSize maxMemory) {
}
