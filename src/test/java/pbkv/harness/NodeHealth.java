package pbkv.harness;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The replication part of a node's {@code /actuator/health}:
 * {@code {"status":"UP","components":{"replication":{"details":{"role":..,"epoch":..,"primary":..}}}}}.
 *
 * @param status  overall health status, e.g. {@code UP}
 * @param role    {@link NodeRole#UNKNOWN} if the details are missing (e.g. health details not exposed)
 * @param epoch   -1 if missing
 * @param primary id of the primary this node believes in, or null if it knows none
 */
public record NodeHealth(String status, NodeRole role, long epoch, String primary) {

    public Optional<String> primaryId() {
        return Optional.ofNullable(primary);
    }

    public boolean is(NodeRole expected) {
        return role == expected;
    }

    static NodeHealth parse(String body) {
        JsonNode root = Json.parse(body);
        JsonNode details = root.path("components").path("replication").path("details");
        return new NodeHealth(
                Json.text(root, "status"),
                NodeRole.parse(Json.text(details, "role")),
                details.path("epoch").asLong(-1),
                Json.text(details, "primary"));
    }
}
