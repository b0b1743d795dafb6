package pbkv.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * A deterministic world for the core: replicas wired by an in-memory network, a hand-advanced
 * clock, and the faults of etcd-raft's test network (cut a directed link, isolate, crash,
 * restart, drop, duplicate, reorder). No threads, no sockets, no sleeps.
 */
final class SimulatedCluster {

    record Envelope(String from, String to, Object message) {
    }

    private final Map<String, Replica> replicas = new LinkedHashMap<>();
    private final Map<String, VoterStore> voterStores = new HashMap<>();
    private final Map<String, DurableLog> disks = new HashMap<>();
    private final boolean diskMode;
    private final Map<String, ReplicaSettings> settings = new HashMap<>();
    private final Set<String> cutLinks = new HashSet<>();
    private final Set<String> down = new HashSet<>();
    private final Deque<Envelope> inFlight = new ArrayDeque<>();
    private final Map<String, Duration> delays = new HashMap<>();
    private final List<Map.Entry<Instant, Envelope>> delayed = new ArrayList<>();
    private final Set<Envelope> released = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Random random;
    private final Duration step = Duration.ofMillis(10);
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final List<Envelope> batchesDelivered = new ArrayList<>();
    private final List<Envelope> batchesSent = new ArrayList<>();
    private double duplicateProbability;
    private boolean reorder;

    SimulatedCluster(long seed, UnaryOperator<ReplicaSettings> tune, String... memberSpecs) {
        this(seed, false, tune, memberSpecs);
    }

    /** With {@code disks}, nodes keep their store and log across restarts (storage.mode=disk). */
    SimulatedCluster(long seed, boolean disks, UnaryOperator<ReplicaSettings> tune, String... memberSpecs) {
        this.diskMode = disks;
        this.random = new Random(seed);
        List<Member> members = new ArrayList<>();
        for (String spec : memberSpecs) {
            members.add(new Member(spec.replace("*", ""), spec.endsWith("*")));
        }
        for (Member m : members) {
            ReplicaSettings s = tune.apply(ReplicaSettings.defaults(m.id(), members, members.get(0).id()));
            settings.put(m.id(), s);
            voterStores.put(m.id(), new VoterStore.InMemory());
            start(m.id());
        }
    }

    /** Primary, backup and witness ({@code *} marks a witness), default timings. */
    static SimulatedCluster threeNodes(long seed) {
        return new SimulatedCluster(seed, s -> s, "primary", "backup", "witness*");
    }

    Replica node(String id) {
        return replicas.get(id);
    }

    Instant now() {
        return now;
    }

    void run(Duration duration) {
        Instant end = now.plus(duration);
        while (now.isBefore(end)) {
            now = now.plus(step);
            releaseDelayed();
            for (Map.Entry<String, Replica> e : replicas.entrySet()) {
                if (!down.contains(e.getKey())) {
                    e.getValue().tick(now);
                }
            }
            deliverAll();
        }
    }

    /** Runs until {@code condition} holds, at most {@code limit} of simulated time. */
    boolean runUntil(java.util.function.BooleanSupplier condition, Duration limit) {
        Instant end = now.plus(limit);
        while (now.isBefore(end)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            run(step);
        }
        return condition.getAsBoolean();
    }

    CompletableFuture<Outcome> put(String node, String key, String value) {
        CompletableFuture<Outcome> f = replicas.get(node).write(key, value, null, now);
        deliverAll();
        return f;
    }

    /** Several clients' writes handed to the replica in one call, as the web layer's combiner does. */
    List<CompletableFuture<Outcome>> writeAll(String node, List<ClientWrite> writes) {
        List<CompletableFuture<Outcome>> f = replicas.get(node).writeAll(writes, now);
        deliverAll();
        return f;
    }

    /** How many replicate requests with entries {@code from} has sent to {@code to}, delivered or not. */
    long batchesSent(String from, String to) {
        return batchesSent.stream().filter(e -> e.from().equals(from) && e.to().equals(to)).count();
    }

    /** Every replicate request with entries delivered from {@code from} to {@code to}, in order. */
    List<ReplicateRequest> batchesDelivered(String from, String to) {
        return batchesDelivered.stream().filter(e -> e.from().equals(from) && e.to().equals(to))
                .map(e -> (ReplicateRequest) e.message()).toList();
    }

    CompletableFuture<Outcome> cas(String node, String key, String value, long expectedVersion) {
        CompletableFuture<Outcome> f = replicas.get(node).write(key, value, expectedVersion, now);
        deliverAll();
        return f;
    }

    CompletableFuture<Outcome> get(String node, String key) {
        CompletableFuture<Outcome> f = replicas.get(node).read(key, now);
        deliverAll();
        return f;
    }

    Optional<String> primary() {
        return replicas.entrySet().stream()
                .filter(e -> !down.contains(e.getKey()) && e.getValue().role() == Role.PRIMARY)
                .max((a, b) -> Long.compare(a.getValue().epoch(), b.getValue().epoch()))
                .map(Map.Entry::getKey);
    }

    List<String> primaries() {
        return replicas.entrySet().stream()
                .filter(e -> !down.contains(e.getKey()) && e.getValue().role() == Role.PRIMARY)
                .map(Map.Entry::getKey).toList();
    }

    // ---------------------------------------------------------------- faults

    void cut(String from, String to) {
        cutLinks.add(from + ">" + to);
    }

    void cutBoth(String a, String b) {
        cut(a, b);
        cut(b, a);
    }

    void isolate(String id) {
        for (String other : replicas.keySet()) {
            if (!other.equals(id)) {
                cutBoth(id, other);
            }
        }
    }

    /** A slow directed link: every message on it arrives {@code by} later (in order). */
    void delay(String from, String to, Duration by) {
        delays.put(from + ">" + to, by);
    }

    void heal() {
        cutLinks.clear();
        delays.clear();
    }

    /** kill -9: the node stops; what it persisted (its vote) survives, its data does not. */
    void crash(String id) {
        down.add(id);
    }

    /** A pause: like a crash, but the node keeps its memory and resumes where it was. */
    void pause(String id) {
        down.add(id);
    }

    void resume(String id) {
        down.remove(id);
    }

    void restart(String id) {
        down.remove(id);
        start(id);
    }

    /** Disk mode: the node's simulated disk, to inject write failures. */
    SurvivingDurableLog disk(String id) {
        return (SurvivingDurableLog) disks.get(id);
    }

    /** Disk mode: the node's data is deleted (its vote, kept apart, survives). */
    void wipeDisk(String id) {
        disks.remove(id);
    }

    void duplicateMessages(double probability) {
        this.duplicateProbability = probability;
    }

    void reorderMessages(boolean enabled) {
        this.reorder = enabled;
    }

    private void start(String id) {
        Transport transport = (to, request) -> {
            if (request instanceof ReplicateRequest r && !r.entries().isEmpty()) {
                batchesSent.add(new Envelope(id, to, request));
            }
            inFlight.add(new Envelope(id, to, request));
        };
        DurableLog disk = diskMode ? disks.computeIfAbsent(id, i -> new SurvivingDurableLog()) : DurableLog.NONE;
        replicas.put(id, new Replica(settings.get(id), transport, voterStores.get(id), disk, new Random(random.nextLong()),
                ReplicaListener.NONE, now));
    }

    private void deliverAll() {
        int budget = 100_000;
        while (!inFlight.isEmpty() && budget-- > 0) {
            if (reorder && inFlight.size() > 1) {
                List<Envelope> shuffled = new ArrayList<>(inFlight);
                Collections.shuffle(shuffled, random);
                inFlight.clear();
                inFlight.addAll(shuffled);
            }
            Envelope e = inFlight.poll();
            if (down.contains(e.to()) || down.contains(e.from()) || cutLinks.contains(e.from() + ">" + e.to())) {
                continue;
            }
            Duration delay = delays.get(e.from() + ">" + e.to());
            if (delay != null && !released.remove(e)) {
                delayed.add(Map.entry(now.plus(delay), e));
                continue;
            }
            deliver(e);
            if (random.nextDouble() < duplicateProbability) {
                deliver(e);
            }
        }
    }

    private void releaseDelayed() {
        delayed.removeIf(d -> {
            if (d.getKey().isAfter(now)) {
                return false;
            }
            released.add(d.getValue());
            inFlight.add(d.getValue());
            return true;
        });
    }

    private void deliver(Envelope e) {
        Replica target = replicas.get(e.to());
        Object m = e.message();
        Object reply = null;
        try {
            if (m instanceof ReplicateRequest r) {
                if (!r.entries().isEmpty()) {
                    batchesDelivered.add(e);
                }
                reply = target.onReplicate(r, now);
            } else if (m instanceof SnapshotChunk c) {
                reply = target.onSnapshot(c, now);
            } else if (m instanceof VoteRequest v) {
                reply = target.onVote(v, now);
            } else if (m instanceof PeerReply r) {
                target.onReply(r, now);
            }
        } catch (StorageException failed) {
            reply = null; // the node could not persist: as over HTTP, the sender gets an error, no answer
        }
        if (reply != null) {
            inFlight.add(new Envelope(e.to(), e.from(), reply));
        }
    }
}
