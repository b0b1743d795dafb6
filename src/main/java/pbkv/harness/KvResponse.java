package pbkv.harness;

import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import tools.jackson.databind.JsonNode;

/**
 * What a {@link KvClient} call produced. Transport failures (refused, reset, timed out) are not thrown
 * but returned with {@code status == 0} and the {@code failure}, because under a nemesis they are
 * ordinary outcomes a test wants to record (a timed-out write has an unknown outcome).
 *
 * @param status  HTTP status, or 0 if no response arrived
 * @param body    response body, "" if none
 * @param headers response headers (empty on transport failure)
 * @param uri     the URI of the last request sent (after following redirects)
 * @param failure the exception if no response arrived, else null
 */
public record KvResponse(int status, String body, HttpHeaders headers, URI uri, Exception failure) {

    static KvResponse failed(URI uri, Exception failure) {
        return new KvResponse(0, "", HttpHeaders.of(Map.of(), (name, value) -> true), uri, failure);
    }

    public boolean isOk() {
        return status >= 200 && status < 300;
    }

    public boolean isRedirect() {
        return status == 307 || status == 308;
    }

    public boolean isTransportFailure() {
        return failure != null;
    }

    /**
     * True if the request was sent but no response arrived in time (a connect timeout does not count: then
     * nothing was sent). Like a reset mid-request, the outcome of a write is then unknown.
     */
    public boolean timedOut() {
        return (failure instanceof HttpTimeoutException && !(failure instanceof HttpConnectTimeoutException))
                || failure instanceof java.util.concurrent.TimeoutException;
    }

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    /** The {@code X-Pbkv-Primary} hint a non-primary sends with its 307. */
    public Optional<String> primaryHint() {
        return header("X-Pbkv-Primary");
    }

    public Optional<String> location() {
        return header("Location");
    }

    /** The parsed body, a missing node if it is not JSON. */
    public JsonNode json() {
        return Json.parse(body);
    }

    /** A top-level field of the JSON body as text (numbers too), or null. */
    public String field(String name) {
        return Json.text(json(), name);
    }

    /** The {@code value} of a {"key","value","version"} body, or null. */
    public String value() {
        return field("value");
    }

    /** The {@code version} of the body, if there is a numeric one. */
    public OptionalLong versionIfPresent() {
        return json().path("version").asLongOpt();
    }

    /** The {@code version} of the body; fails with the whole response in the message if there is none. */
    public long version() {
        return versionIfPresent().orElseThrow(() -> new IllegalStateException("no version in " + this));
    }

    /** The problem-JSON {@code outcome} ("unknown" when replication timed out), or null. */
    public String outcome() {
        return field("outcome");
    }

    public boolean isProblem() {
        return header("Content-Type").map(type -> type.startsWith("application/problem+json")).orElse(false);
    }

    @Override
    public String toString() {
        if (failure != null) {
            return "KvResponse[" + uri + " failed: " + failure + "]";
        }
        return "KvResponse[" + status + " " + uri + " " + body
                + primaryHint().map(p -> " primary=" + p).orElse("")
                + location().map(l -> " location=" + l).orElse("") + "]";
    }
}
