package pbkv.core;

import java.time.Instant;

/**
 * An entry this node dropped when it installed a snapshot from {@code primary}, because that
 * primary's history never had it: a deposed primary's write, lost. {@code acknowledged} says
 * whether this node answered success for it to a client: true, false, or null when it cannot
 * know (it restarted since, in sync mode, where its commit index is not kept on disk).
 */
public record DroppedEntry(String key, String value, long epoch, long index, Boolean acknowledged, Instant droppedAt,
                           String primary) {
}
