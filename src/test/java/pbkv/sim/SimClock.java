package pbkv.sim;

import java.time.Instant;

/**
 * One node's wall clock: global virtual time, plus a fixed offset (clocks are never set alike),
 * plus a small rate error, plus forward jumps (an NTP step, a VM resumed late).
 *
 * <p>What is modelled, and why: the protocol only ever measures durations on one node's clock
 * (the lease on the primary from the send time of acks, the voter's "heard from the primary
 * within the lease" from the receive time), so an offset is harmless by design. The lease
 * assumption is that clocks advance at about the same rate: the drift here is at most
 * {@link #MAX_DRIFT_PPM} parts per million, far below the one-millisecond minimum network delay
 * that separates a primary's send time from its voter's receive time over a 500 ms lease. Jumps
 * go forward only (monotonic clocks); the nemesis decides whose clock may jump (see
 * {@link SimNemesis}).
 */
final class SimClock {

    static final int MAX_DRIFT_PPM = 100;
    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    private final long driftPpm;
    private long offsetNanos;

    SimClock(long offsetNanos, long driftPpm) {
        if (Math.abs(driftPpm) > MAX_DRIFT_PPM || offsetNanos < 0) {
            throw new IllegalArgumentException("clock outside the modelled bounds");
        }
        this.offsetNanos = offsetNanos;
        this.driftPpm = driftPpm;
    }

    Instant at(long globalNanos) {
        long local = globalNanos + globalNanos / 1_000_000L * driftPpm + offsetNanos;
        return EPOCH.plusNanos(local);
    }

    void jumpForward(long nanos) {
        offsetNanos += Math.max(0, nanos);
    }

    @Override
    public String toString() {
        return "offset=" + offsetNanos / 1_000 + "us drift=" + driftPpm + "ppm";
    }
}
