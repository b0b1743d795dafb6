package pbkv.core;

import java.util.Set;
import java.util.TreeSet;

/**
 * What needs agreement: the epoch, its primary and the in-sync set (the primary and the backups
 * that hold every committed write). Changed only by a proposal a majority of voters accepted.
 */
public record Configuration(long epoch, String primary, Set<String> inSync) {

    public Configuration {
        if (epoch < 0) {
            throw new IllegalArgumentException("negative epoch " + epoch);
        }
        inSync = Set.copyOf(inSync);
        if (primary != null && !inSync.contains(primary)) {
            throw new IllegalArgumentException("primary " + primary + " must be in its in-sync set " + inSync);
        }
    }

    /** The configuration every node starts from in a new cluster: the initial primary alone. */
    public static Configuration genesis(String initialPrimary) {
        return new Configuration(1, initialPrimary, Set.of(initialPrimary));
    }

    public Configuration withInSync(Set<String> members, long newEpoch) {
        return new Configuration(newEpoch, primary, members);
    }

    public boolean isInSync(String nodeId) {
        return inSync.contains(nodeId);
    }

    @Override
    public String toString() {
        return "epoch=" + epoch + " primary=" + primary + " inSync=" + new TreeSet<>(inSync);
    }
}
