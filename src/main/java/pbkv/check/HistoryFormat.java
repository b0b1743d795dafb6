package pbkv.check;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The history file formats the checker reads. */
public enum HistoryFormat {
    /** Jepsen etcd logs, one register: see {@link JepsenEtcdParser}. */
    JEPSEN_ETCD("jepsen-etcd"),
    /** Jepsen EDN-line KV histories: see {@link JepsenKvParser}. */
    JEPSEN_KV("jepsen-kv"),
    /** pbkv's own format: see {@link PbkvHistoryFormat}. */
    PBKV("pbkv");

    private final String cliName;

    HistoryFormat(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static Optional<HistoryFormat> byName(String name) {
        return Arrays.stream(values()).filter(f -> f.cliName.equals(name)).findFirst();
    }

    /** Guesses from the first line that is neither blank nor a comment; pbkv when nothing else fits. */
    public static HistoryFormat guess(List<String> lines) {
        String first = lines.stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .findFirst().orElse("");
        if (first.contains("jepsen.util")) {
            return JEPSEN_ETCD;
        }
        return first.startsWith("{") ? JEPSEN_KV : PBKV;
    }

    public History parse(List<String> lines) throws HistoryParseException {
        return switch (this) {
            case JEPSEN_ETCD -> JepsenEtcdParser.parse(lines);
            case JEPSEN_KV -> JepsenKvParser.parse(lines);
            case PBKV -> PbkvHistoryFormat.parse(lines);
        };
    }
}
