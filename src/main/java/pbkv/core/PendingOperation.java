package pbkv.core;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * A client operation waiting for the commit index to reach {@code index}: a write to be
 * acknowledged, or a read (or failed precondition) that must not expose an uncommitted write.
 */
record PendingOperation(long index, boolean write, Outcome outcome, Instant startedAt, Instant deadline,
                        CompletableFuture<Outcome> future) {
}
