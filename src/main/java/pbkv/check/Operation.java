package pbkv.check;

import java.util.Objects;

/**
 * One client operation of a history: what was asked, what was observed, and when.
 *
 * <p>Times only need to be comparable within one history (Jepsen histories use the position of
 * the event in the file, pbkv histories use {@code System.nanoTime()} of the recording client).
 * The checker treats an {@link Completion#UNKNOWN} operation as if it returned after everything
 * else, whatever {@code returnTime} says.
 *
 * @param client        who issued it (Jepsen process, pbkv client id); only used in explanations
 * @param key           operations on different keys are checked independently
 * @param type          what kind of operation it is
 * @param argument      value written by put, append and cas; {@code null} otherwise
 * @param expected      the cas precondition: expected value (register) or version (KV store)
 * @param outcome       what the client learned
 * @param resultValue   value observed by a get; {@code null} when the key was absent
 * @param resultVersion version reported by the server; {@code null} when none was reported
 * @param callTime      when the client issued it
 * @param returnTime    when the client got the answer (or gave up)
 * @param line          line of the history file it came from, for explanations; 0 when none
 */
public record Operation(String client, String key, OpType type, String argument, String expected,
        Completion outcome, String resultValue, String resultVersion, long callTime, long returnTime,
        int line) {

    public Operation {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(outcome, "outcome");
        if (returnTime < callTime) {
            throw new IllegalArgumentException("operation returns before it is called: " + callTime + " > " + returnTime);
        }
    }

    /** A one-line human description, e.g. {@code line 12, client 3: cas 1->4 => fail}. */
    public String describe() {
        String where = line > 0 ? "line " + line + ", " : "";
        return where + "client " + client + ": " + request() + " => " + response();
    }

    private String request() {
        String k = key.isEmpty() ? "" : " " + show(key);
        return switch (type) {
            case GET, DELETE -> type.label() + k;
            case PUT -> "put" + k + " " + show(argument);
            case APPEND -> "append" + k + " " + show(argument);
            case CAS -> "cas" + k + " if " + show(expected) + " then " + show(argument);
        };
    }

    private String response() {
        if (outcome == Completion.UNKNOWN) {
            return "unknown";
        }
        String version = resultVersion == null ? "" : " version " + resultVersion;
        if (type == OpType.GET && outcome == Completion.OK) {
            return (resultValue == null ? "absent" : show(resultValue)) + version;
        }
        return outcome.name().toLowerCase(java.util.Locale.ROOT) + version;
    }

    /** Shows simple tokens as they are and quotes anything else, so that spaces stay visible. */
    static String show(String value) {
        if (value == null) {
            return "-";
        }
        return value.matches("[A-Za-z0-9_.:+/=-]+") ? value : '"' + value + '"';
    }
}
