package pbkv.core;

import java.time.Instant;

/** A role, epoch, membership or catch-up change, as logged: one line a student can quote. */
public record ReplicaEvent(Instant at, String kind, String line) {
}
