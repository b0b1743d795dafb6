package pbkv.sim;

import java.io.PrintStream;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Totals over a sweep, so that a green sweep also shows it exercised something. */
record SweepStatistics(int runs, long ok, long fail, long unknown, long rejected, long acked, long promotions,
                       int withoutFinalPrimary, int diskRuns) {

    private static final Pattern NUMBER = Pattern.compile("(\\w[\\w-]*)=(\\w+)");

    static SweepStatistics of(List<SimulationResult> results) {
        long[] t = new long[6];
        int noPrimary = 0;
        int disk = 0;
        String[] names = {"ok", "fail", "unknown", "rejected", "acked", "promotions"};
        for (SimulationResult r : results) {
            disk += r.config().contains("storage=disk") ? 1 : 0;
            Matcher m = NUMBER.matcher(r.summary());
            while (m.find()) {
                for (int i = 0; i < names.length; i++) {
                    if (names[i].equals(m.group(1))) {
                        t[i] += Long.parseLong(m.group(2));
                    }
                }
                if (m.group(1).equals("final-primary") && m.group(2).equals("none")) {
                    noPrimary++;
                }
            }
        }
        return new SweepStatistics(results.size(), t[0], t[1], t[2], t[3], t[4], t[5], noPrimary, disk);
    }

    void print(PrintStream out) {
        out.printf("  operations: %d ok, %d fail, %d unknown, %d rejected; %d writes acknowledged; %d promotions;"
                + " %d of %d runs ended without a primary; %d runs in disk mode%n", ok, fail, unknown, rejected, acked, promotions,
                withoutFinalPrimary, runs, diskRuns);
    }
}
