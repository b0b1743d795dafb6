package pbkv.config;

/**
 * A setting, or a combination of settings, that pbkv refuses to start with. Each names the
 * property, what is wrong with it and how to fix it; {@link SettingsFailureAnalyzer} prints them
 * in place of a stack trace.
 */
public final class InvalidSettingsException extends RuntimeException {

    private final String property;
    private final String action;

    public InvalidSettingsException(String property, String problem, String action) {
        super(property + ": " + problem);
        this.property = property;
        this.action = action;
    }

    public String property() {
        return property;
    }

    public String action() {
        return action;
    }
}
