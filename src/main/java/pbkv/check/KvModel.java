package pbkv.check;

import java.util.Objects;

/**
 * One key of a key-value store: the key is absent or holds a value, written at some version.
 *
 * <p><b>Versions.</b> The server assigns versions, so a client only learns one when a put, cas or
 * get reports it. A write whose outcome is unknown, or whose answer carried no version, leaves
 * the version <em>unknown</em> ({@code null}); an unknown version matches any version a later
 * operation reports or expects. This never turns a linearizable history into a violation (it
 * can only miss violations that hinge on the exact version of a write nobody observed). When a
 * get then reports a version for that value, the model adopts it, since the server assigned
 * that write exactly one version.
 *
 * <ul>
 *   <li>get ok: the value read ({@code null} = absent) equals the state's value, and a
 *       reported version equals the state's known version; get fail (an error) or unknown
 *       tells nothing and is ignored;</li>
 *   <li>put / append ok: the value becomes the argument (append: the old value, {@code ""}
 *       when absent, followed by the argument) at the reported version; fail: did not happen;</li>
 *   <li>delete ok: the key becomes absent; delete fail (404): the key was absent;</li>
 *   <li>cas ok: the key was present at version {@code expected} and now holds the argument at
 *       the reported version; cas fail (412): the key was absent or at another version.</li>
 * </ul>
 */
public final class KvModel implements Model<KvModel.State> {

    /** The state of one key; {@code value == null} means absent, {@code version == null} unknown. */
    public record State(String value, String version) {
        public static final State ABSENT = new State(null, null);

        boolean present() {
            return value != null;
        }

        boolean versionMayBe(String v) {
            return version == null || version.equals(v);
        }
    }

    private final State initial;

    private KvModel(State initial) {
        this.initial = initial;
    }

    /** Keys start absent, as in pbkv (a get of a never-written key is a 404). */
    public static KvModel startingAbsent() {
        return new KvModel(State.ABSENT);
    }

    /** Keys start as the empty string, as in Jepsen's KV histories. */
    public static KvModel startingEmpty() {
        return new KvModel(new State("", null));
    }

    @Override
    public State initialState() {
        return initial;
    }

    @Override
    public State step(State state, Operation op) {
        return switch (op.type()) {
            case GET -> get(state, op);
            case PUT -> write(state, op, op.argument());
            case APPEND -> write(state, op, Objects.requireNonNullElse(state.value(), "") + op.argument());
            case DELETE -> delete(state, op);
            case CAS -> cas(state, op);
        };
    }

    private static State get(State state, Operation op) {
        if (op.outcome() != Completion.OK) {
            return state;
        }
        if (!Objects.equals(state.value(), op.resultValue())) {
            return null;
        }
        if (op.resultValue() == null || op.resultVersion() == null) {
            return state;
        }
        if (!state.versionMayBe(op.resultVersion())) {
            return null;
        }
        return new State(state.value(), op.resultVersion());
    }

    private static State write(State state, Operation op, String newValue) {
        return switch (op.outcome()) {
            case OK -> new State(newValue, op.resultVersion());
            case UNKNOWN -> new State(newValue, null);
            case FAIL -> state;
        };
    }

    private static State delete(State state, Operation op) {
        if (op.outcome() == Completion.FAIL) {
            return state.present() ? null : state;
        }
        return State.ABSENT;
    }

    private static State cas(State state, Operation op) {
        boolean mayMatch = state.present() && state.versionMayBe(op.expected());
        boolean mustMatch = state.present() && op.expected().equals(state.version());
        return switch (op.outcome()) {
            case OK -> mayMatch ? new State(op.argument(), op.resultVersion()) : null;
            case FAIL -> mustMatch ? null : state;
            case UNKNOWN -> mayMatch ? new State(op.argument(), null) : state;
        };
    }

    @Override
    public boolean isInert(Operation op) {
        return switch (op.type()) {
            case GET -> op.outcome() != Completion.OK;
            case PUT, APPEND -> op.outcome() == Completion.FAIL;
            default -> false;
        };
    }

    @Override
    public String describe(State state) {
        if (!state.present()) {
            return "key absent";
        }
        String version = state.version() == null ? "" : " at version " + state.version();
        return "key holds " + Operation.show(state.value()) + version;
    }
}
