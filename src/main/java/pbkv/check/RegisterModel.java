package pbkv.check;

/**
 * A single register holding a value token, as in Jepsen's etcd test. The state is the token
 * itself, {@code "nil"} initially (Jepsen prints an unset register as {@code nil}).
 *
 * <ul>
 *   <li>read ({@link OpType#GET}) ok: the value read equals the state;</li>
 *   <li>write ({@link OpType#PUT}) ok: the state becomes the argument;</li>
 *   <li>cas ok: the state equalled {@code expected} and becomes the argument; cas fail: the
 *       state did not equal {@code expected} and is unchanged;</li>
 *   <li>a failed read or write did not happen (Jepsen's {@code :fail}) and is ignored.</li>
 * </ul>
 */
public final class RegisterModel implements Model<String> {

    /** How Jepsen prints the value of a register that was never written. */
    public static final String NIL = "nil";

    @Override
    public String initialState() {
        return NIL;
    }

    @Override
    public String step(String state, Operation op) {
        return switch (op.type()) {
            case GET -> op.outcome() != Completion.OK || state.equals(op.resultValue()) ? state : null;
            case PUT -> op.outcome() == Completion.FAIL ? state : op.argument();
            case CAS -> cas(state, op);
            default -> throw new IllegalArgumentException("a register has no " + op.type().label());
        };
    }

    private static String cas(String state, Operation op) {
        boolean matches = state.equals(op.expected());
        return switch (op.outcome()) {
            case OK -> matches ? op.argument() : null;
            case FAIL -> matches ? null : state;
            case UNKNOWN -> matches ? op.argument() : state;
        };
    }

    @Override
    public boolean isInert(Operation op) {
        return (op.type() == OpType.GET && op.outcome() != Completion.OK)
                || (op.type() == OpType.PUT && op.outcome() == Completion.FAIL);
    }

    @Override
    public String describe(String state) {
        return "register holds " + state;
    }
}
