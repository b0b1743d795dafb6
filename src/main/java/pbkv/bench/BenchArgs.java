package pbkv.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line: an optional subcommand, then {@code --name value} or {@code --name=value}
 * flags ({@code --name} alone means true). Every flag must be read by the command, so a typo is
 * reported instead of silently running the defaults for minutes.
 */
final class BenchArgs {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");

    private final String command;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> read = new HashSet<>();

    private BenchArgs(String command) {
        this.command = command;
    }

    static BenchArgs parse(String[] args) {
        int i = 0;
        String command = "run";
        if (args.length > 0 && !args[0].startsWith("-")) {
            command = args[0];
            i = 1;
        }
        BenchArgs parsed = new BenchArgs(command);
        for (; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("expected a --flag, got '" + arg + "'");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                value = "true";
            }
            if (parsed.values.put(name, value) != null) {
                throw new IllegalArgumentException("--" + name + " given twice");
            }
        }
        return parsed;
    }

    String command() {
        return command;
    }

    boolean has(String name) {
        read.add(name);
        return values.containsKey(name);
    }

    String string(String name, String fallback) {
        read.add(name);
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback) {
        String v = string(name, null);
        try {
            return v == null ? fallback : Integer.parseInt(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " takes a whole number, got '" + v + "'");
        }
    }

    double decimal(String name, double fallback) {
        String v = string(name, null);
        try {
            return v == null ? fallback : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " takes a number, got '" + v + "'");
        }
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(string(name, "false"));
    }

    /** A duration as the nodes accept it (100ms, 1s, 2m); returned as text, checked here. */
    String durationText(String name, String fallback) {
        String v = string(name, fallback);
        parseDuration(v); // fail now, not when a node refuses to start
        return v;
    }

    List<String> list(String name, String fallback) {
        String v = string(name, fallback);
        List<String> out = new ArrayList<>();
        for (String part : v.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    List<Integer> integers(String name, String fallback) {
        List<Integer> out = new ArrayList<>();
        for (String part : list(name, fallback)) {
            try {
                out.add(Integer.parseInt(part));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " takes comma-separated whole numbers, got '" + part + "'");
            }
        }
        return out;
    }

    /** Call after the command has read its flags: any flag left over was not understood. */
    void rejectUnknown() {
        Set<String> unknown = new HashSet<>(values.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown flag(s) for '" + command + "': --" + String.join(", --", unknown));
        }
    }

    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("a duration looks like 250ms, 1s or 2m; got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }
}
