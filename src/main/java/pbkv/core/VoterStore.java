package pbkv.core;

import java.util.Optional;

/**
 * Durable storage of the voter's promise. {@link #save} returns only once the state is durable
 * (so a restarted voter never votes twice in one epoch); it throws if it cannot, and the vote
 * is then not given.
 */
public interface VoterStore {
    Optional<VoterState> load();

    void save(VoterState state);

    /** For tests and simulations: keeps the state in memory, surviving a simulated restart. */
    final class InMemory implements VoterStore {
        private VoterState state;

        @Override
        public Optional<VoterState> load() {
            return Optional.ofNullable(state);
        }

        @Override
        public void save(VoterState newState) {
            state = newState;
        }
    }
}
