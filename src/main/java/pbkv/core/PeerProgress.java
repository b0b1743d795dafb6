package pbkv.core;

import java.time.Instant;
import java.util.List;

/**
 * The primary's view of one peer: how much of the log it holds, the one request in flight to it
 * (replies to older requests are late and ignored), and a snapshot transfer in progress.
 */
final class PeerProgress {

    /** A snapshot being streamed to a peer, one chunk in flight at a time. */
    record OutgoingSnapshot(long id, LogPosition position, List<SnapshotItem> items, int chunkEntries) {
        int chunks() {
            return Math.max(1, (items.size() + chunkEntries - 1) / chunkEntries);
        }

        List<SnapshotItem> chunk(int sequence) {
            int from = sequence * chunkEntries;
            return items.subList(Math.min(from, items.size()), Math.min(from + chunkEntries, items.size()));
        }
    }

    final String id;
    final boolean witness;
    long matchIndex;
    long nextIndex;
    long inFlightId;
    Instant inFlightSentAt;
    Instant lastSentAt;
    Instant lastAckAt;
    /** When the request behind the latest ack was sent: the lease counts from sending, not receiving. */
    Instant lastAckSentAt;
    OutgoingSnapshot snapshot;
    int snapshotSequence;
    /** Set while the peer is behind because it missed entries; cleared (and logged) when it has them. */
    boolean catchingUp;
    /** Whether the peer has confirmed a position to this primary at all (matchIndex is real). */
    boolean acked;

    PeerProgress(String id, boolean witness, long nextIndex, Instant now) {
        this.id = id;
        this.witness = witness;
        this.nextIndex = nextIndex;
        this.lastAckAt = now;
    }

    boolean hasRequestInFlight() {
        return inFlightId != 0;
    }

    void clearInFlight() {
        inFlightId = 0;
        inFlightSentAt = null;
    }
}
