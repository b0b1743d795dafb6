package pbkv.check;

/** What a client learned about an operation it issued. */
public enum Completion {
    /** The operation took effect, with the recorded result. */
    OK,
    /** A definite negative answer; its meaning depends on the model (see {@link Model} implementations). */
    FAIL,
    /** The client never learned the result: the operation may take effect at any time after its call, or never. */
    UNKNOWN
}
