package pbkv.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who is blamed when fingerprints differ: the node that no majority of its own members agrees with. */
class MembershipAgreementTest {

    private static final List<ClusterFingerprint.Member> THREE = List.of(
            new ClusterFingerprint.Member("primary", "http://127.0.0.1:8000", false),
            new ClusterFingerprint.Member("backup", "http://127.0.0.1:9001", false),
            new ClusterFingerprint.Member("witness", "http://127.0.0.1:9003", true));

    @Test
    void theFingerprintIgnoresTheOrderOfMembersButNotTheirUrlsOrWitnessFlags() {
        ClusterFingerprint own = ClusterFingerprint.of("pbkv", THREE);
        assertThat(ClusterFingerprint.of("pbkv", List.of(THREE.get(2), THREE.get(0), THREE.get(1)))).isEqualTo(own);
        assertThat(ClusterFingerprint.of("other", THREE).value()).isNotEqualTo(own.value());
        assertThat(ClusterFingerprint.of("pbkv", List.of(THREE.get(0), THREE.get(1),
                new ClusterFingerprint.Member("witness", "http://127.0.0.1:9003", false))).value()).isNotEqualTo(own.value());
        assertThat(own.value()).hasSize(16);
        assertThat(own.description()).isEqualTo("pbkv: backup=http://127.0.0.1:9001, primary=http://127.0.0.1:8000, "
                + "witness=http://127.0.0.1:9003 (witness)");
    }

    @Test
    void aNodeThatAMajorityAgreesWithStaysHealthyWhileOnePeerDiffers() {
        MembershipAgreement primary = agreement("backup", "witness");
        primary.agreed("witness");
        primary.differs("backup", "0badc0ffee0badc0", false);

        assertThat(primary.unhealthyReason()).isNull();
        assertThat(primary.mismatches()).containsOnlyKeys("backup");
        assertThat(primary.refusals()).isEqualTo(1);
    }

    @Test
    void aNodeThatNoMajorityAgreesWithIsUnhealthyUntilItsPeersAgree() {
        MembershipAgreement misconfigured = new MembershipAgreement(ClusterFingerprint.of("pbkv", THREE),
                Map.of("primary", "http://a:1", "witness", "http://b:1", "extra", "http://c:1"), 4);
        misconfigured.differs("primary", "1111111111111111", true);

        assertThat(misconfigured.unhealthyReason()).contains("[primary]", "only 1 of the 3");

        misconfigured.agreed("primary");
        misconfigured.agreed("witness");
        misconfigured.agreed("extra");
        assertThat(misconfigured.unhealthyReason()).isNull();
        assertThat(misconfigured.mismatches()).isEmpty();
    }

    @Test
    void aSenderThatNamesNoMemberIsCountedButCannotMakeTheNodeUnhealthy() {
        MembershipAgreement lone = agreement("backup", "witness");
        lone.differs("stranger", "2222222222222222", true);
        lone.differs(null, null, true);

        assertThat(lone.refusals()).isEqualTo(2);
        assertThat(lone.mismatches()).isEmpty();
        assertThat(lone.unhealthyReason()).isNull();
    }

    @Test
    void aPeerIsFoundByTheUrlItsMessagesGoTo() {
        MembershipAgreement primary = agreement("backup", "witness");
        assertThat(primary.peerAt("http://backup:1/replicate/vote")).isEqualTo("backup");
        assertThat(primary.peerAt("http://elsewhere:1/replicate")).isNull();
    }

    private static MembershipAgreement agreement(String... peers) {
        Map<String, String> urls = new java.util.HashMap<>();
        for (String p : peers) {
            urls.put(p, "http://" + p + ":1");
        }
        return new MembershipAgreement(ClusterFingerprint.of("pbkv", THREE), urls, peers.length + 1);
    }
}
