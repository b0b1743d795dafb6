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
}
