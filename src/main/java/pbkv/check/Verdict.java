package pbkv.check;

/** The answer of a check. */
public enum Verdict {
    LINEARIZABLE,
    NOT_LINEARIZABLE,
    /** The search budget ran out before an answer was found. */
    UNKNOWN
}
