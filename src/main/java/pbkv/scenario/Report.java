package pbkv.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** report.md as it grows: Markdown sections appended in the order the run produces them. */
final class Report {

    /** Exchanges listed per step; the rest are counted, and all of them are in history.tsv. */
    static final int MAX_EXCHANGES = 12;

    private final StringBuilder md = new StringBuilder();

    Report heading(int level, String text) {
        md.append("\n").append("#".repeat(level)).append(' ').append(text).append("\n\n");
        return this;
    }

    Report line(String text) {
        md.append(text).append('\n');
        return this;
    }

    Report paragraph(String text) {
        md.append(text).append("\n\n");
        return this;
    }

    Report code(List<String> lines) {
        md.append("```\n");
        lines.forEach(l -> md.append(l).append('\n'));
        md.append("```\n\n");
        return this;
    }

    Report exchanges(List<Exchange> exchanges) {
        if (exchanges.isEmpty()) {
            return this;
        }
        md.append("HTTP exchanges:\n\n");
        exchanges.stream().limit(MAX_EXCHANGES).forEach(e -> md.append("- `").append(e.summary().replace('`', '\'')).append("`\n"));
        if (exchanges.size() > MAX_EXCHANGES) {
            md.append("- ... and ").append(exchanges.size() - MAX_EXCHANGES).append(" more (all in history.tsv)\n");
        }
        md.append('\n');
        return this;
    }

    Report table(List<String> header, List<List<String>> rows) {
        md.append("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> md.append("---|"));
        md.append('\n');
        rows.forEach(r -> md.append("| ").append(String.join(" | ", r)).append(" |\n"));
        md.append('\n');
        return this;
    }

    void write(Path file) throws IOException {
        Files.writeString(file, md.toString().stripLeading());
    }
}
