package pbkv.config;

/** TLS settings that cannot work together, found at start-up; the message says what is wrong, the action what to set. */
final class TlsSettingsException extends RuntimeException {

    private final String action;

    TlsSettingsException(String message, String action) {
        super(message);
        this.action = action;
    }

    String action() {
        return action;
    }
}
