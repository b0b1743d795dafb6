package pbkv.core;

import java.util.List;

/**
 * Entries after {@code prev} from the primary of {@code config.epoch()}, with its commit index.
 * Without entries it is the heartbeat. Idempotent: resending the same positions is harmless.
 */
public record ReplicateRequest(String from, long requestId, Configuration config, LogPosition prev,
                               List<LogEntry> entries, long commitIndex) implements PeerRequest {
    public ReplicateRequest {
        entries = List.copyOf(entries);
    }
}
