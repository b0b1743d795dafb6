package pbkv.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import pbkv.peer.ClusterFingerprint;
import pbkv.peer.MembershipAgreement;
import pbkv.peer.PeerHeaders;

/**
 * Peers only, after the secret: a peer message is accepted only from a node with the same cluster
 * fingerprint, so that every node counts majorities over the same members. Anything else is a
 * 409 problem carrying both fingerprints and ours in full, and our fingerprint as a header, by
 * which the sender's client tells it from a stale epoch's 409.
 */
@Component
class MembershipInterceptor implements HandlerInterceptor {

    private final MembershipAgreement membership;

    MembershipInterceptor(MembershipAgreement membership) {
        this.membership = membership;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        ClusterFingerprint own = membership.own();
        String theirs = request.getHeader(PeerHeaders.FINGERPRINT);
        String from = request.getHeader(PeerHeaders.MEMBER);
        if (own.value().equals(theirs)) {
            membership.agreed(from);
            return true;
        }
        membership.differs(from, theirs, true);
        response.setHeader(PeerHeaders.FINGERPRINT, own.value());
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("fingerprint", own.value());
        properties.put("senderFingerprint", theirs);
        properties.put("cluster", own.description());
        throw new ApiException(HttpStatus.CONFLICT, "Cluster membership mismatch", theirs == null
                ? "the message carries no " + PeerHeaders.FINGERPRINT + " header: peers must send their cluster fingerprint"
                : "the sender's cluster name or member list differs from this node's: every member must list the same members"
                        + " (ids, urls, witness flags) and the same cluster.name", properties);
    }
}
