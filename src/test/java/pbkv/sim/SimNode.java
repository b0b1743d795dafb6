package pbkv.sim;

import java.util.ArrayList;
import java.util.List;
import pbkv.core.Replica;
import pbkv.core.ReplicaSettings;
import pbkv.core.VoterStore;

/**
 * One simulated process. Its {@link VoterStore} is the only thing that survives a crash (memory
 * mode: the data is gone, the vote is on disk); a pause keeps everything and holds the work that
 * arrives meanwhile, as a stopped process's socket buffers would.
 */
final class SimNode {

    enum State { UP, PAUSED, CRASHED }

    final String id;
    final boolean witness;
    final ReplicaSettings settings;
    final VoterStore.InMemory voterStore = new VoterStore.InMemory();
    final SimClock clock;
    final List<Runnable> held = new ArrayList<>();

    Replica replica;
    /** Bumped by each (re)start: replies addressed to an earlier incarnation are dropped. */
    int incarnation;
    State state = State.UP;

    SimNode(String id, boolean witness, ReplicaSettings settings, SimClock clock) {
        this.id = id;
        this.witness = witness;
        this.settings = settings;
        this.clock = clock;
    }

    boolean up() {
        return state == State.UP;
    }
}
