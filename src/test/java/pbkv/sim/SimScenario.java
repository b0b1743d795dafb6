package pbkv.sim;

import java.util.Locale;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * The configurations the simulation knows, by name, so that a failing seed can be replayed in
 * exactly its configuration: {@code -Dsim.scenario=NAME -Dsim.seed=N}.
 */
enum SimScenario {
    /** The sweep: safe settings, every fault. Every seed must pass. */
    STANDARD((seed, random) -> SimConfig.standard(random).withStorageFor(seed, random)),
    /** As STANDARD, four times longer: compound faults, long catch-ups (for soak runs). */
    LONG((seed, random) -> SimConfig.standard(random).withDurations(20_000, 5_000).withStorageFor(seed, random)),
    /** As STANDARD, with frequent forward clock jumps of any node, by up to 800 ms. */
    CLOCK_JUMPS((seed, random) -> SimConfig.standard(random).withNemesis(SimNemesis.Profile.CLOCK_JUMPS).withStorageFor(seed, random)),
    /** replication.mode=async while the primary crashes: must lose acknowledged writes (memory mode). */
    ASYNC_PRIMARY_CRASHES((seed, random) -> SimConfig.asyncWithPrimaryCrashes(random)),
    /** Two data nodes, no witness, failover.allow-unsafe-two-node=true, partitions: must split the brain (memory mode). */
    UNSAFE_TWO_NODE((seed, random) -> SimConfig.unsafeTwoNodeWithPartitions(random));

    private final BiFunction<Long, Random, SimConfig> configuration;

    SimScenario(BiFunction<Long, Random, SimConfig> configuration) {
        this.configuration = configuration;
    }

    /**
     * Draws this scenario's configuration from the seed's random (the first draws of the run);
     * the STANDARD-based scenarios run every third seed in disk mode ({@link SimConfig#withStorageFor}).
     */
    SimConfig configure(long seed, Random random) {
        return configuration.apply(seed, random);
    }

    /** From {@code -Dsim.scenario}, STANDARD when unset. */
    static SimScenario fromSystemProperty() {
        String name = System.getProperty("sim.scenario", "");
        return name.isBlank() ? STANDARD : valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
