package pbkv.core;

/**
 * The voter's promise, persisted before any vote is answered: the highest epoch it accepted and
 * the configuration it accepted (or learned) last.
 */
public record VoterState(long promisedEpoch, Configuration config) {
    public VoterState {
        if (config.epoch() > promisedEpoch) {
            throw new IllegalArgumentException("accepted configuration is newer than the promise");
        }
    }
}
