package pbkv.core;

import java.util.OptionalLong;

/**
 * Epoch arithmetic, in one place. Epochs only grow, so the largest one has no successor: a node
 * asked to go beyond it gets no epoch (an expected outcome, not a crash), and the cluster keeps
 * the configuration it has.
 */
final class Epoch {

    private Epoch() {
    }

    /** The epoch after {@code epoch}, or empty if {@code epoch} is the largest there is. */
    static OptionalLong after(long epoch) {
        return epoch == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(epoch + 1);
    }

    /** The first epoch after {@code epoch} that is {@code slot} modulo {@code slots}, or empty past the largest. */
    static OptionalLong after(long epoch, int slot, int slots) {
        OptionalLong next = after(epoch);
        if (next.isEmpty()) {
            return next;
        }
        long skip = Math.floorMod(slot - next.getAsLong(), (long) slots);
        return next.getAsLong() > Long.MAX_VALUE - skip ? OptionalLong.empty() : OptionalLong.of(next.getAsLong() + skip);
    }
}
