package pbkv.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The primary's view of one peer: how much of the log it holds, the one batch in flight to it,
 * the requests not yet answered (a late acknowledgement still counts), and a snapshot transfer in
 * progress.
 */
final class PeerProgress {

    /**
     * A snapshot being streamed to a peer, one chunk in flight at a time. Chunks are bounded like
     * batches, by entries and by bytes, so one large value never makes an unbounded request.
     */
    record OutgoingSnapshot(long id, LogPosition position, EpochHistory history, List<SnapshotItem> items, int[] chunkStarts) {

        static OutgoingSnapshot of(long id, LogPosition position, EpochHistory history, List<SnapshotItem> items, int maxEntries,
                                   long maxBytes) {
            List<Integer> starts = new ArrayList<>();
            starts.add(0);
            long bytes = 0;
            int entries = 0;
            for (int i = 0; i < items.size(); i++) {
                long size = items.get(i).sizeBytes();
                if (entries > 0 && (entries >= maxEntries || bytes + size > maxBytes)) {
                    starts.add(i);
                    bytes = 0;
                    entries = 0;
                }
                bytes += size;
                entries++;
            }
            return new OutgoingSnapshot(id, position, history, items, starts.stream().mapToInt(Integer::intValue).toArray());
        }

        int chunks() {
            return chunkStarts.length;
        }

        List<SnapshotItem> chunk(int sequence) {
            int to = sequence + 1 < chunkStarts.length ? chunkStarts[sequence + 1] : items.size();
            return items.subList(chunkStarts[sequence], to);
        }
    }

    /** Enough for a batch, its resends and the probes sent meanwhile; older requests count as lost. */
    static final int MAX_UNANSWERED = 16;

    final String id;
    final boolean witness;
    long matchIndex;
    long nextIndex;
    long inFlightId;
    Instant inFlightSentAt;
    Instant lastSentAt;
    Instant lastAckAt;
    OutgoingSnapshot snapshot;
    int snapshotSequence;
    /** Set while the peer is behind because it missed entries; cleared (and logged) when it has them. */
    boolean catchingUp;
    /**
     * A backup outside the in-sync set that is within one batch of the log's end: commits wait
     * for it as for an in-sync member until it joins, or until it is silent.
     */
    boolean joining;
    /** Set when the peer answered that it could not persist a batch; cleared when one succeeds. */
    boolean storageFailed;
    /** Whether the peer has confirmed a position to this primary at all (matchIndex is real). */
    boolean acked;
    /** Send time of each request not answered yet, oldest first. */
    private final Map<Long, Instant> unanswered = new LinkedHashMap<>();
    /**
     * Replies to requests older than this answer a question asked before the latest catch-up
     * plan (the peer may have restarted or diverged since): they are ignored.
     */
    long firstCurrentRequestId;

    PeerProgress(String id, boolean witness, long nextIndex, Instant now) {
        this.id = id;
        this.witness = witness;
        this.nextIndex = nextIndex;
        this.lastAckAt = now;
    }

    boolean hasRequestInFlight() {
        return inFlightId != 0;
    }

    void sent(long requestId, Instant at) {
        unanswered.put(requestId, at);
        if (unanswered.size() > MAX_UNANSWERED) {
            Long oldest = unanswered.keySet().iterator().next();
            unanswered.remove(oldest);
        }
    }

    /** The send time of the request this reply answers, or null for an unknown, evicted or outdated one. */
    Instant answered(long requestId) {
        Instant sentAt = unanswered.remove(requestId);
        return requestId < firstCurrentRequestId ? null : sentAt;
    }

    void clearInFlight() {
        inFlightId = 0;
        inFlightSentAt = null;
    }
}
