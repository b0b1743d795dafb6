package pbkv.bench;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The scenarios of {@code bench run}: the cluster layout, the replication mode, the fsync
 * policy (the nodes' default unless named), and where the load goes. Every write scenario writes to the primary; reads-backup reads the
 * backup's own copy ({@code ?consistency=local}), which never touches the primary.
 */
enum BenchScenario {
    BASELINE_SINGLE("baseline-single", BenchCluster.SINGLE, "sync", false, null),
    SYNC_1("sync-1", BenchCluster.ONE_BACKUP, "sync", false, null),
    SYNC_2("sync-2", BenchCluster.TWO_BACKUPS, "sync", false, null),
    ASYNC_1("async-1", BenchCluster.ONE_BACKUP, "async", false, null),
    READS_BACKUP("reads-backup", BenchCluster.ONE_BACKUP, "sync", true, null),
    /** sync-1 at each storage.fsync policy: what each level of durability costs. */
    SYNC_1_FSYNC_NEVER("sync-1-fsync-never", BenchCluster.ONE_BACKUP, "sync", false, "never"),
    SYNC_1_FSYNC_BATCH("sync-1-fsync-batch", BenchCluster.ONE_BACKUP, "sync", false, "batch"),
    SYNC_1_FSYNC_ALWAYS("sync-1-fsync-always", BenchCluster.ONE_BACKUP, "sync", false, "always");

    private final String label;
    private final List<BenchCluster.Member> layout;
    private final String mode;
    private final boolean readsBackup;
    /** storage.fsync of every node, or null for the node's default. */
    private final String fsync;

    BenchScenario(String label, List<BenchCluster.Member> layout, String mode, boolean readsBackup, String fsync) {
        this.label = label;
        this.layout = layout;
        this.mode = mode;
        this.readsBackup = readsBackup;
        this.fsync = fsync;
    }

    String fsync() {
        return fsync;
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

    static BenchScenario of(String label) {
        return Arrays.stream(values()).filter(s -> s.label.equals(label)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown scenario '" + label + "'; known: " + labels()));
    }

    static String labels() {
        return Arrays.stream(values()).map(BenchScenario::label).collect(Collectors.joining(","));
    }
}
