package pbkv.torture;

import java.util.Arrays;
import java.util.List;

/**
 * The nemesis's repertoire. Each fault hits one node or one pair of nodes, so a cluster of three
 * voters (primary, backup, witness) or four (two backups) tolerates it; except {@link #CRASH_ALL}, a
 * power cut, which the cluster must survive by what its disks hold. {@link Nemesis} heals each and
 * waits for the cluster to settle before the next. "The primary" and "a backup" are whoever holds
 * that role when the fault starts.
 */
enum FaultKind {
    KILL_PRIMARY("kill-primary",
            "kill -9 the primary, wait for the failover, restart it (the old primary rejoins)"),
    CRASH_RESTART_PRIMARY("crash-restart-primary",
            "kill -9 the primary and restart it at once, before or during the failover"),
    KILL_BACKUP("kill-backup", "kill -9 a backup, restart it a few seconds later"),
    KILL_WITNESS("kill-witness", "kill -9 the witness, restart it a few seconds later"),
    PAUSE_SHORT("pause-short", "SIGSTOP a node for less than failure.timeout, then SIGCONT"),
    PAUSE_LONG("pause-long", "SIGSTOP a data node for longer than failure.timeout, then SIGCONT"),
    ZOMBIE_PRIMARY("zombie-primary", "pause the primary until another node took over, then resume it"),
    PARTITION_DATA("partition", "cut both links between the primary and a backup"),
    CUT_ONE_WAY("cut-one-way", "cut one direction between the primary and a backup"),
    SILENT_PARTITION("silent-partition",
            "drop everything both ways between the primary and a backup (timeouts, not resets)"),
    CUT_WITNESS("cut-witness", "cut one or both directions between the witness and a data node"),
    ISOLATE_PRIMARY("isolate-primary", "cut every link to and from the primary (clients still reach it)"),
    LOSSY_REPLICATION("lossy-replication", "lose a fraction of the primary's connections to a backup"),
    SLOW_REPLICATION("slow-replication", "delay the primary's link to a backup by up to 700 ms each way"),
    CUT_THEN_KILL_PRIMARY("cut-then-kill-primary",
            "cut the primary's links to its backups, kill it 0.3-0.7 s later, restart it after the failover"),
    POWER_LOSS("power-loss",
            "power loss of a data node: kill -9, its files cut back to their last fsync, restart"),
    CRASH_ALL("crash-all",
            "kill -9 every node at once (data nodes and witness), restart them one by one in a random order");

    private final String label;
    private final String description;

    FaultKind(String label, String description) {
        this.label = label;
        this.description = description;
    }

    String label() {
        return label;
    }

    String description() {
        return description;
    }

    boolean needsWitness() {
        return this == KILL_WITNESS || this == CUT_WITNESS;
    }

    /** The faults that make sense for a cluster with or without a witness. */
    static List<FaultKind> applicable(boolean witness) {
        return Arrays.stream(values()).filter(kind -> witness || !kind.needsWitness()).toList();
    }

    static FaultKind byLabel(String label) {
        return Arrays.stream(values()).filter(kind -> kind.label.equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no fault " + label + "; faults are "
                        + Arrays.stream(values()).map(FaultKind::label).toList()));
    }
}
