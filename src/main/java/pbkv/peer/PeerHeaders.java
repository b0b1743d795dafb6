package pbkv.peer;

/** The headers every peer message carries besides the cluster secret, and every refusal answers with. */
public final class PeerHeaders {

    /** The sender's {@link ClusterFingerprint}; a refusal answers with the refusing node's. */
    public static final String FINGERPRINT = "Pbkv-Cluster-Fingerprint";
    /** The sender's member id: who a refusal was for, in the refusing node's log and view. */
    public static final String MEMBER = "Pbkv-Member";

    private PeerHeaders() {
    }
}
