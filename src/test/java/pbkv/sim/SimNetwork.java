package pbkv.sim;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The fate of each message between two nodes: its delay, whether it is lost or duplicated.
 * Reordering needs no switch of its own: delays vary per message (and spike now and then), so a
 * later message often overtakes an earlier one. Faults are per directed link, so a cut can be
 * one-way. Clients are not behind these links: they reach any running node (a client cut off
 * from the primary is only a slow client; what matters is the nodes' view of each other).
 */
final class SimNetwork {

    private static final long MIN_DELAY = EventQueue.millis(1);

    private final Random random;
    private final Set<String> cut = new HashSet<>();
    private final Map<String, Double> loss = new HashMap<>();
    private final Map<String, Long> extraDelay = new HashMap<>();
    private double duplicateProbability;
    private double spikeProbability;

    SimNetwork(Random random) {
        this.random = random;
    }

    /** Delivery delays of one message: none when it is lost, two when it is duplicated. */
    long[] fates(String from, String to) {
        String link = link(from, to);
        if (cut.contains(link) || random.nextDouble() < loss.getOrDefault(link, 0.0)) {
            return new long[0];
        }
        long first = delay(link);
        if (random.nextDouble() < duplicateProbability) {
            return new long[] {first, delay(link)};
        }
        return new long[] {first};
    }

    /** A one-way delay for client traffic: same distribution, no link faults. */
    long clientDelay() {
        return delay("client");
    }

    /** Checked again on arrival: a message in flight when the link is cut is lost too. */
    boolean isCut(String from, String to) {
        return cut.contains(link(from, to));
    }

    void cut(String from, String to) {
        cut.add(link(from, to));
    }

    void uncut(String from, String to) {
        cut.remove(link(from, to));
    }

    void setLoss(String from, String to, double probability) {
        loss.put(link(from, to), probability);
    }

    void setExtraDelay(String from, String to, long nanos) {
        extraDelay.put(link(from, to), nanos);
    }

    void setDuplicateProbability(double p) {
        duplicateProbability = p;
    }

    void setSpikeProbability(double p) {
        spikeProbability = p;
    }

    void healAll() {
        cut.clear();
        loss.clear();
        extraDelay.clear();
        duplicateProbability = 0;
        spikeProbability = 0;
    }

    private long delay(String link) {
        long d = MIN_DELAY + (long) (random.nextDouble() * EventQueue.millis(4));
        if (random.nextDouble() < spikeProbability) {
            d += EventQueue.millis(20) + (long) (random.nextDouble() * EventQueue.millis(400));
        }
        return d + extraDelay.getOrDefault(link, 0L);
    }

    private static String link(String from, String to) {
        return from + ">" + to;
    }
}
