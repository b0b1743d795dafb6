package pbkv.torture;

import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import pbkv.check.OpType;
import pbkv.check.Completion;
import pbkv.harness.KvResponse;

/**
 * Turns what a client saw into what the history may claim. The rule throughout: claim only what the
 * answer proves. An op that may have been applied is {@code unknown}; an op the cluster turned away
 * before doing anything is {@link Classification#rejected()}: for a put or a get that is a plain
 * {@code fail} in the history, but a cas or delete {@code fail} means "the precondition did not hold"
 * (412, 404), which a 503 or a redirect loop does not prove, so those are left out of the checked history.
 */
public final class ResponseClassifier {

    /**
     * @param outcome       what the history records; null when the op was rejected without information
     * @param resultValue   value a get read (null: absent)
     * @param resultVersion version the server reported, if any
     * @param why           a short reason, for rejected and unknown ops
     */
    public record Classification(Completion outcome, String resultValue, String resultVersion, String why) {
        static Classification rejected(String why) {
            return new Classification(null, null, null, why);
        }

        public boolean rejected() {
            return outcome == null;
        }
    }

    private ResponseClassifier() {
    }

    public static Classification classify(OpType op, KvResponse response) {
        if (response.isTransportFailure()) {
            return transportFailure(op, response.failure());
        }
        int status = response.status();
        if (response.isOk()) {
            String version = version(response);
            return op == OpType.GET
                    ? new Classification(Completion.OK, response.value(), version, null)
                    : new Classification(Completion.OK, null, op == OpType.DELETE ? null : version, null);
        }
        if (status == 404 && op == OpType.GET) {
            return new Classification(Completion.OK, null, null, null); // read: the key is absent
        }
        if (status == 404 && op == OpType.DELETE) {
            return new Classification(Completion.FAIL, null, null, "404"); // nothing to delete
        }
        if (status == 412 && op == OpType.CAS) {
            return new Classification(Completion.FAIL, null, null, "412"); // the version differed
        }
        if (response.isRedirect()) {
            return rejected(op, "redirect loop"); // a 307 only ever comes from a node that did nothing
        }
        if (status >= 500) {
            // 503 not-applied: refused before replication; "unknown" (or no word at all) may have been applied
            String outcome = response.outcome();
            return "not-applied".equals(outcome) ? rejected(op, status + " not-applied")
                    : maybeApplied(op, status + (outcome == null ? "" : " " + outcome));
        }
        return rejected(op, Integer.toString(status)); // other 4xx: refused as invalid
    }

    private static Classification transportFailure(OpType op, Exception failure) {
        // No connection, no request: the server cannot have applied anything.
        if (failure instanceof ConnectException || failure instanceof HttpConnectTimeoutException
                || failure.getCause() instanceof ConnectException) {
            return rejected(op, "connect failed");
        }
        return maybeApplied(op, failure.getClass().getSimpleName());
    }

    /** A read that went wrong tells nothing (a history {@code fail} for get is ignored by the model). */
    private static Classification maybeApplied(OpType op, String why) {
        Completion outcome = op == OpType.GET ? Completion.FAIL : Completion.UNKNOWN;
        return new Classification(outcome, null, null, why);
    }

    private static Classification rejected(OpType op, String why) {
        return op == OpType.GET || op == OpType.PUT
                ? new Classification(Completion.FAIL, null, null, why)
                : Classification.rejected(why);
    }

    private static String version(KvResponse response) {
        var version = response.versionIfPresent();
        return version.isPresent() ? Long.toString(version.getAsLong()) : null;
    }
}
