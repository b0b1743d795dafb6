package pbkv.sim;

/**
 * Runs one seed and prints its trace hash: how {@link SimulationDeterminismTest} checks that a
 * fresh JVM (another hash seed for {@code Set.of}, another JIT, another heap) replays a seed
 * exactly. Usage: {@code SimulationMain SEED [SCENARIO]}.
 */
public final class SimulationMain {

    private SimulationMain() {
    }

    public static void main(String[] args) {
        SimScenario scenario = args.length > 1 ? SimScenario.valueOf(args[1]) : SimScenario.STANDARD;
        SimulationResult r = SimulationRun.run(Long.parseLong(args[0]), scenario, null);
        System.out.println("trace-hash=" + Long.toHexString(r.traceHash()) + " lines=" + r.traceLines() + " " + r.summary());
    }
}
