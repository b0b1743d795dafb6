package pbkv.harness;

/**
 * Role a node reports in {@code /actuator/health}. Deliberately a copy of the product's names rather than
 * the product enum, so the harness keeps working (and failing clearly) while the product changes.
 */
public enum NodeRole {
    PRIMARY, BACKUP, CANDIDATE, STALE, WITNESS,
    /** Missing or unrecognised role in the health response. */
    UNKNOWN;

    static NodeRole parse(String text) {
        if (text == null) {
            return UNKNOWN;
        }
        try {
            return valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}
