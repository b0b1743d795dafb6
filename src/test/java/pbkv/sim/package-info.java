/**
 * The deterministic simulation sweep of the replication core: no Spring, no
 * sockets, no threads, no wall clock.
 *
 * <p><b>The world.</b> {@link pbkv.sim.SimWorld} runs {@link pbkv.core.Replica}s (primary, backup,
 * a second backup in half the seeds, witness) on one {@link pbkv.sim.EventQueue} of global
 * virtual time. Each node reads its own {@link pbkv.sim.SimClock} (offset, drift of at most
 * 100 ppm, forward jumps). {@link pbkv.sim.SimNetwork} gives each message a delay (1 to 5 ms,
 * with spikes that reorder), and may lose, duplicate or cut it per directed link. In memory mode
 * crashes lose everything but the node's {@link pbkv.core.VoterStore}; every third seed runs in
 * disk mode, where each data node restarts from its {@link pbkv.sim.SimDisk} (a crash keeps every
 * write, a power loss only the synced ones) and the nemesis also cuts a node's power and crashes
 * every node at once. Pauses hold the work that arrives and deliver it on resume, so a zombie
 * primary really does wake up to old messages. {@link pbkv.sim.SimNemesis} injects overlapping faults for five seconds, then heals
 * everything; {@link pbkv.sim.SimClient}s keep issuing get/put/cas/delete throughout and for
 * 2.5 s after. A single {@code new Random(seed)} drives all of it.
 *
 * <p><b>The checks.</b> {@link pbkv.sim.InvariantMonitor} after every event (epochs, one primary
 * and one acknowledging node per epoch, no acknowledged write missing from a newer primary),
 * {@link pbkv.check.LinearizabilityChecker} on the recorded history at the end.
 *
 * <p><b>Replaying.</b> {@code ./mvnw -B test -Dtest=SimulationSweepTest -Dsim.seed=N} prints seed
 * N's whole trace; {@link pbkv.sim.SimulationDeterminismTest} keeps that promise honest.
 */
package pbkv.sim;
