package pbkv.core;

import java.util.List;

/** What this node dropped since it started: counts, and the latest entries (a bounded number). */
public record DivergenceReport(long dropped, long acknowledged, List<DroppedEntry> entries) {

    public DivergenceReport {
        entries = List.copyOf(entries);
    }
}
