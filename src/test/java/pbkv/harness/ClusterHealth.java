package pbkv.harness;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One round of health checks: for each node asked, its health or empty if it did not answer in time.
 * The cluster-level questions the harness waits for are answered from such a snapshot.
 */
public record ClusterHealth(Map<String, Optional<NodeHealth>> nodes) {

    public ClusterHealth {
        nodes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(nodes)); // keeps node order
    }

    public boolean allAnswered() {
        return nodes.values().stream().allMatch(Optional::isPresent);
    }

    /** Among the nodes that answered, the one reporting PRIMARY with the highest epoch. */
    public Optional<String> primary() {
        return answered().stream()
                .filter(entry -> entry.getValue().is(NodeRole.PRIMARY))
                .max(java.util.Comparator.comparingLong(entry -> entry.getValue().epoch()))
                .map(Map.Entry::getKey);
    }

    /**
     * The primary, if every node answered, exactly one is PRIMARY and every other data node is BACKUP
     * in that primary's epoch (the witness only has to answer).
     */
    public Optional<String> settledPrimary() {
        List<Map.Entry<String, NodeHealth>> answered = answered();
        List<Map.Entry<String, NodeHealth>> primaries = answered.stream()
                .filter(entry -> entry.getValue().is(NodeRole.PRIMARY)).toList();
        if (!allAnswered() || primaries.size() != 1) {
            return Optional.empty();
        }
        String primary = primaries.get(0).getKey();
        long epoch = primaries.get(0).getValue().epoch();
        boolean backupsInEpoch = answered.stream()
                .filter(entry -> !entry.getKey().equals(primary) && !entry.getKey().equals(ClusterBuilder.WITNESS))
                .allMatch(entry -> entry.getValue().is(NodeRole.BACKUP) && entry.getValue().epoch() == epoch);
        return backupsInEpoch ? Optional.of(primary) : Optional.empty();
    }

    private List<Map.Entry<String, NodeHealth>> answered() {
        return nodes.entrySet().stream()
                .filter(entry -> entry.getValue().isPresent())
                .map(entry -> Map.entry(entry.getKey(), entry.getValue().orElseThrow()))
                .toList();
    }
}
