package pbkv.check;

/**
 * A sequential specification: the states an object can be in and how each operation moves
 * between them.
 *
 * <p>States must be immutable and implement {@code equals}/{@code hashCode}: the search caches
 * (linearized operations, state) pairs it has already explored.
 *
 * <p>Unknown outcomes follow Porcupine's treatment: the step of an {@link Completion#UNKNOWN}
 * operation never rejects; it applies the operation when it could have applied and otherwise
 * leaves the state alone. "Never took effect" needs no separate case because the search places
 * the return of such an operation after every other event, so it may always go last.
 *
 * @param <S> the state type
 */
public interface Model<S> {

    /** The state before any operation. */
    S initialState();

    /**
     * The state after {@code op} takes effect in {@code state}, or {@code null} when the result
     * the client observed is impossible in that state.
     */
    S step(S state, Operation op);

    /**
     * True when {@code op} is accepted in every state and never changes it (a failed read, say):
     * such operations cannot affect the verdict and are left out of the search.
     */
    default boolean isInert(Operation op) {
        return false;
    }

    /** A short human description of a state, for explanations. */
    String describe(S state);
}
