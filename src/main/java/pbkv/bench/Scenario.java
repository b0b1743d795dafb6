package pbkv.bench;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The scenarios of {@code bench run} (issue 4): the cluster layout, the replication mode, and
 * where the load goes. Every write scenario writes to the primary; reads-backup reads the
 * backup's own copy ({@code ?consistency=local}), which never touches the primary.
 */
enum Scenario {
    BASELINE_SINGLE("baseline-single", BenchCluster.SINGLE, "sync", false),
    SYNC_1("sync-1", BenchCluster.ONE_BACKUP, "sync", false),
    SYNC_2("sync-2", BenchCluster.TWO_BACKUPS, "sync", false),
    ASYNC_1("async-1", BenchCluster.ONE_BACKUP, "async", false),
    READS_BACKUP("reads-backup", BenchCluster.ONE_BACKUP, "sync", true);

    private final String label;
    private final List<BenchCluster.Member> layout;
    private final String mode;
    private final boolean readsBackup;

    Scenario(String label, List<BenchCluster.Member> layout, String mode, boolean readsBackup) {
        this.label = label;
        this.layout = layout;
        this.mode = mode;
        this.readsBackup = readsBackup;
    }

    String label() {
        return label;
    }

    List<BenchCluster.Member> layout() {
        return layout;
    }

    String mode() {
        return mode;
    }

    boolean readsBackup() {
        return readsBackup;
    }

    static Scenario of(String label) {
        return Arrays.stream(values()).filter(s -> s.label.equals(label)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown scenario '" + label + "'; known: " + labels()));
    }

    static String labels() {
        return Arrays.stream(values()).map(Scenario::label).collect(Collectors.joining(","));
    }
}
