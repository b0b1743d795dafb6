package pbkv.sim;

import java.util.Locale;
import java.util.Random;
import java.util.function.Function;

/**
 * The configurations the simulation knows, by name, so that a failing seed can be replayed in
 * exactly its configuration: {@code -Dsim.scenario=NAME -Dsim.seed=N}.
 */
enum Scenario {
    /** The sweep: safe settings, every fault. Every seed must pass. */
    STANDARD(SimConfig::standard),
    /** As STANDARD, four times longer: compound faults, long catch-ups (for soak runs). */
    LONG(random -> SimConfig.standard(random).withDurations(20_000, 5_000)),
    /** As STANDARD, with frequent forward clock jumps of any node, by up to 800 ms. */
    CLOCK_JUMPS(random -> SimConfig.standard(random).withNemesis(Nemesis.Profile.CLOCK_JUMPS)),
    /** replication.mode=async while the primary crashes: must lose acknowledged writes. */
    ASYNC_PRIMARY_CRASHES(SimConfig::asyncWithPrimaryCrashes),
    /** Two data nodes, no witness, failover.allow-unsafe-two-node=true, partitions: must split the brain. */
    UNSAFE_TWO_NODE(SimConfig::unsafeTwoNodeWithPartitions);

    private final Function<Random, SimConfig> configuration;

    Scenario(Function<Random, SimConfig> configuration) {
        this.configuration = configuration;
    }

    /** Draws this scenario's configuration from the seed's random (the first draws of the run). */
    SimConfig configure(Random random) {
        return configuration.apply(random);
    }

    /** From {@code -Dsim.scenario}, STANDARD when unset. */
    static Scenario fromSystemProperty() {
        String name = System.getProperty("sim.scenario", "");
        return name.isBlank() ? STANDARD : valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
