package pbkv.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import pbkv.core.Member;
import pbkv.core.ReplicaSettings;
import pbkv.core.ReplicationMode;

/**
 * What one simulated run looks like: the members, the replication settings that vary per seed
 * (small logs and batches, so that snapshots and multi-batch catch-up happen in a few seconds),
 * the workload and the nemesis. Timings are the production defaults (heartbeat 100 ms, failure
 * timeout 1 s, lease 500 ms) so that what the sweep proves is about the shipped configuration.
 *
 * @param faultMillis how long the nemesis runs; then everything is healed
 * @param quietMillis how long the clients go on after the heal (failover, catch-up, final reads)
 * @param storage memory mode, or disk mode ({@link SimDisk}) with an fsync policy
 */
record SimConfig(List<Member> members, ReplicationMode mode, boolean allowUnsafeTwoNode, int minInSync,
                 int logRetention, int maxBatchEntries, int snapshotChunkEntries, int clients, int keys,
                 long faultMillis, long quietMillis, SimNemesis.Profile nemesis, Storage storage) {

    /** Where data nodes keep their store and log: lost with the process, or on a {@link SimDisk}. */
    enum Storage {
        MEMORY(null), DISK_FSYNC_NEVER(SimDisk.Fsync.NEVER), DISK_FSYNC_BATCH(SimDisk.Fsync.BATCH),
        DISK_FSYNC_ALWAYS(SimDisk.Fsync.ALWAYS);

        private final SimDisk.Fsync fsync;

        Storage(SimDisk.Fsync fsync) {
            this.fsync = fsync;
        }

        boolean disk() {
            return fsync != null;
        }

        /** The disk's fsync policy; null in memory mode. */
        SimDisk.Fsync fsync() {
            return fsync;
        }
    }

    static final Duration HEARTBEAT = Duration.ofMillis(100);
    static final Duration FAILURE_TIMEOUT = Duration.ofSeconds(1);
    static final Duration LEASE = Duration.ofMillis(500);
    static final Duration REPLICATION_TIMEOUT = Duration.ofSeconds(1);
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(2);
    /** Longer than the write timeout: most unknown outcomes come from the server, as they should. */
    static final long CLIENT_TIMEOUT_MILLIS = 2_500;

    SimConfig {
        members = List.copyOf(members);
    }

    /** The sweep's configuration: primary, backup, witness, and a second backup in half the seeds. */
    static SimConfig standard(Random random) {
        return new SimConfig(members(random.nextBoolean(), true), ReplicationMode.SYNC, false, random.nextInt(4) == 0 ? 2 : 1,
                4 + random.nextInt(40), 1 + random.nextInt(6), 1 + random.nextInt(3), 3 + random.nextInt(3), 3,
                5_000, 2_500, SimNemesis.Profile.STANDARD, Storage.MEMORY);
    }

    /**
     * Every third seed runs in disk mode, with an fsync policy drawn after everything else, so
     * that the other seeds draw exactly what they drew before disk mode existed.
     */
    SimConfig withStorageFor(long seed, Random random) {
        if (seed % 3 != 0) {
            return this;
        }
        Storage[] disks = {Storage.DISK_FSYNC_NEVER, Storage.DISK_FSYNC_BATCH, Storage.DISK_FSYNC_ALWAYS};
        return withStorage(disks[random.nextInt(disks.length)]);
    }

    /** Async replication with the primary crashing and pausing: must lose acknowledged writes. */
    static SimConfig asyncWithPrimaryCrashes(Random random) {
        return new SimConfig(members(false, true), ReplicationMode.ASYNC, false, 1, 1_000, 4, 2, 4, 2,
                5_000, 2_500, SimNemesis.Profile.PRIMARY_CRASHES, Storage.MEMORY);
    }

    /** Two data nodes, no witness, failover.allow-unsafe-two-node=true, and partitions between them. */
    static SimConfig unsafeTwoNodeWithPartitions(Random random) {
        return new SimConfig(members(false, false), ReplicationMode.SYNC, true, 1, 1_000, 4, 2, 4, 2,
                5_000, 2_500, SimNemesis.Profile.PARTITIONS, Storage.MEMORY);
    }

    private static List<Member> members(boolean secondBackup, boolean witness) {
        List<Member> members = new ArrayList<>(List.of(new Member("primary", false), new Member("backup", false)));
        if (secondBackup) {
            members.add(new Member("backup2", false));
        }
        if (witness) {
            members.add(new Member("witness", true));
        }
        return members;
    }

    SimConfig withNemesis(SimNemesis.Profile profile) {
        return new SimConfig(members, mode, allowUnsafeTwoNode, minInSync, logRetention, maxBatchEntries,
                snapshotChunkEntries, clients, keys, faultMillis, quietMillis, profile, storage);
    }

    SimConfig withDurations(long faults, long quiet) {
        return new SimConfig(members, mode, allowUnsafeTwoNode, minInSync, logRetention, maxBatchEntries,
                snapshotChunkEntries, clients, keys, faults, quiet, nemesis, storage);
    }

    SimConfig withStorage(Storage s) {
        return new SimConfig(members, mode, allowUnsafeTwoNode, minInSync, logRetention, maxBatchEntries,
                snapshotChunkEntries, clients, keys, faultMillis, quietMillis, nemesis, s);
    }

    ReplicaSettings settingsFor(String nodeId) {
        return ReplicaSettings.defaults(nodeId, members, "primary").withTimings(HEARTBEAT, FAILURE_TIMEOUT, LEASE)
                .withTimeouts(REPLICATION_TIMEOUT, WRITE_TIMEOUT).withMode(mode).withMinInSync(minInSync)
                .withBatchLimits(maxBatchEntries, 1L << 20).withLogRetention(logRetention)
                .withSnapshotChunkEntries(snapshotChunkEntries).withMaxPendingOperations(64).withAllowUnsafeTwoNode(allowUnsafeTwoNode);
    }

    @Override
    public String toString() {
        return "members=" + members.stream().map(Member::id).toList() + " mode=" + mode + " minInSync=" + minInSync
                + " logRetention=" + logRetention + " batch=" + maxBatchEntries + " chunk=" + snapshotChunkEntries
                + " clients=" + clients + " keys=" + keys + (allowUnsafeTwoNode ? " allowUnsafeTwoNode" : "")
                + " nemesis=" + nemesis + (storage.disk() ? " storage=disk fsync=" + storage.fsync() : "");
    }
}
