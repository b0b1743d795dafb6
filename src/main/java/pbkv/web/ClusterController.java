package pbkv.web;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import pbkv.config.ClusterProperties;
import pbkv.core.DivergenceReport;
import pbkv.core.Replica;
import pbkv.core.ReplicaView;
import pbkv.peer.MembershipAgreement;

/** This node's view of the cluster, and the operator's unclean promotion. */
@RestController
@RequestMapping("/cluster")
class ClusterController {

    private final Replica replica;
    private final Clock clock;
    private final ClusterProperties cluster;
    private final MembershipAgreement membership;

    ClusterController(Replica replica, Clock clock, ClusterProperties cluster, MembershipAgreement membership) {
        this.replica = replica;
        this.clock = clock;
        this.cluster = cluster;
        this.membership = membership;
    }

    @GetMapping
    Map<String, Object> view() {
        ReplicaView v = replica.view(clock.instant());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", v.nodeId());
        body.put("role", v.role());
        body.put("epoch", v.epoch());
        body.put("primary", v.primary());
        body.put("inSync", v.inSync().stream().sorted().toList());
        body.put("promisedEpoch", v.promisedEpoch());
        body.put("lastPosition", v.last().toString());
        body.put("lastIndex", v.last().index());
        body.put("commitIndex", v.commitIndex());
        body.put("keys", v.keys());
        body.put("leaseValid", v.leaseValid());
        body.put("dataIntact", v.dataIntact());
        body.put("unavailable", v.unavailableReason());
        body.put("storageFailure", v.storageFailure());
        body.put("membership", membershipView());
        body.put("members", cluster.members().stream().map(m -> {
            Map<String, Object> member = new LinkedHashMap<>();
            member.put("id", m.id());
            member.put("url", m.url());
            member.put("witness", m.witness());
            v.peers().stream().filter(p -> p.id().equals(m.id())).findFirst().ifPresent(p -> {
                member.put("inSync", p.inSync());
                member.put("matchIndex", p.matchIndex());
                member.put("lag", p.lag());
                member.put("lastContact", p.lastContact());
                member.put("catchingUp", p.catchingUp());
            });
            return member;
        }).toList());
        body.put("events", v.recentEvents().stream().map(e -> e.at() + " " + e.line()).toList());
        return body;
    }

    /**
     * The writes this node dropped when it rejoined under a primary that never had them, latest
     * last: a deposed primary's tail. An acknowledged one is a lost write, possible only in async
     * mode, in unsafe two-node mode, or after an operator's unclean promotion.
     */
    @GetMapping("/divergence")
    Map<String, Object> divergence() {
        DivergenceReport report = replica.divergence();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("node", replica.nodeId());
        body.put("dropped", report.dropped());
        body.put("acknowledged", report.acknowledged());
        body.put("entries", report.entries().stream().map(e -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("key", e.key());
            entry.put("value", e.value());
            entry.put("epoch", e.epoch());
            entry.put("index", e.index());
            entry.put("acknowledged", e.acknowledged());
            entry.put("droppedAt", e.droppedAt().toString());
            entry.put("primary", e.primary());
            return entry;
        }).toList());
        return body;
    }

    /** This node's fingerprint, the peers whose fingerprint differs, and why that stops this node, if it does. */
    private Map<String, Object> membershipView() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("fingerprint", membership.own().value());
        view.put("cluster", membership.own().description());
        Map<String, Object> differing = new LinkedHashMap<>();
        membership.mismatches().forEach((peer, m) -> differing.put(peer, Map.of("fingerprint", m.theirFingerprint(),
                "refused", m.refusedByUs() ? "its messages, by this node" : "this node's messages, by it")));
        view.put("differing", differing);
        view.put("problem", membership.unhealthyReason());
        return view;
    }

    @PostMapping("/promote")
    Map<String, Object> promote(@RequestParam(defaultValue = "false") boolean unsafe) {
        if (!unsafe) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Unsafe flag required",
                    "forcing a promotion may lose acknowledged writes: repeat with ?unsafe=true if you accept that");
        }
        String refusal = replica.forcePromote(clock.instant());
        if (refusal != null) {
            throw new ApiException(HttpStatus.CONFLICT, "Promotion refused", refusal);
        }
        return Map.of("node", replica.nodeId(), "promotion", "requested (unsafe)", "warning", "acknowledged writes may be lost");
    }
}
