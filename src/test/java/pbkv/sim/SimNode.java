package pbkv.sim;

import java.util.ArrayList;
import java.util.List;
import pbkv.core.Replica;
import pbkv.core.ReplicaSettings;
import pbkv.core.VoterStore;

/**
 * One simulated process. Its {@link VoterStore} survives a crash and a power loss (a vote is
 * durable before it is given); in memory mode that is all that survives, in disk mode its
 * {@link SimDisk} keeps what it would on a machine. A pause keeps everything and holds the work
 * that arrives meanwhile, as a stopped process's socket buffers would.
 */
final class SimNode {

    enum State { UP, PAUSED, CRASHED }

    final String id;
    final boolean witness;
    final ReplicaSettings settings;
    final VoterStore.InMemory voterStore = new VoterStore.InMemory();
    final SimClock clock;
    /** The data dir in disk mode; null in memory mode and for a witness (it holds no data). */
    final SimDisk disk;
    final List<Runnable> held = new ArrayList<>();

    Replica replica;
    /** Bumped by each (re)start: replies addressed to an earlier incarnation are dropped. */
    int incarnation;
    State state = State.UP;

    SimNode(String id, boolean witness, ReplicaSettings settings, SimClock clock, SimDisk disk) {
        this.id = id;
        this.witness = witness;
        this.settings = settings;
        this.clock = clock;
        this.disk = disk;
    }

    boolean up() {
        return state == State.UP;
    }
}
