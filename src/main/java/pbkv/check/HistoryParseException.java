package pbkv.check;

/** A history file that cannot be understood; the message names the offending line. */
public class HistoryParseException extends Exception {

    private static final long serialVersionUID = 1L;

    public HistoryParseException(int line, String message) {
        super("line " + line + ": " + message);
    }
}
