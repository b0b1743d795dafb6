package pbkv.peer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a node believes the cluster is: its name, and every member with its URL and whether it is a
 * witness. Every peer message carries it, and a node refuses a message whose fingerprint differs
 * from its own: two nodes with different member lists count majorities differently (3 of 4 is not
 * a majority of 3), so the quorum intersection behind "never two primaries" would no longer hold.
 *
 * @param value       16 hex digits of the SHA-256 of {@code description}: sent with every message
 * @param description the canonical text it is taken from, for people comparing two nodes
 */
public record ClusterFingerprint(String value, String description) {

    /** A member as the fingerprint sees it. */
    public record Member(String id, String url, boolean witness) {
    }

    public static ClusterFingerprint of(String clusterName, List<Member> members) {
        String description = clusterName + ": " + members.stream()
                .sorted(Comparator.comparing(Member::id))
                .map(m -> m.id() + "=" + m.url() + (m.witness() ? " (witness)" : ""))
                .collect(Collectors.joining(", "));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(description.getBytes(StandardCharsets.UTF_8));
            return new ClusterFingerprint(HexFormat.of().formatHex(digest, 0, 8), description);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
