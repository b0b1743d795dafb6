package pbkv.torture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import pbkv.check.OpType;
import pbkv.check.Operation;
import pbkv.check.Completion;
import pbkv.check.PbkvHistoryFormat;

/**
 * Collects the operations of every client (thread-safe) and writes them as a {@code pbkv} history
 * ({@link PbkvHistoryFormat}), sorted by invoke time so that a reader sees the run in order.
 *
 * <p>A cas or delete rejected without information (see {@link ResponseClassifier}) is written as a
 * {@code # rejected} comment: kept for the reader, ignored by the checker.
 */
public final class HistoryRecorder {

    private static final String REJECTED = "# rejected (";

    private final List<Operation> operations = new ArrayList<>(); // guarded by this
    private final List<Entry> rejected = new ArrayList<>(); // guarded by this
    private final AtomicInteger ok = new AtomicInteger();
    private final AtomicInteger fail = new AtomicInteger();
    private final AtomicInteger unknown = new AtomicInteger();

    private record Entry(Operation op, String why) {
    }

    /**
     * Records one completed operation; {@code argument} is the value written, {@code expected} a cas's If-Match.
     * Returns the operation as the checker will see it (a rejected one is kept only as a comment).
     */
    public Operation record(String client, OpType type, String key, String argument, String expected,
                long invokeNanos, long completeNanos, ResponseClassifier.Classification result) {
        Completion outcome = result.rejected() ? Completion.FAIL : result.outcome();
        Operation op = new Operation(client, key, type, argument, expected, outcome,
                result.resultValue(), result.resultVersion(), invokeNanos, completeNanos, 0);
        switch (outcome) {
            case OK -> ok.incrementAndGet();
            case FAIL -> fail.incrementAndGet();
            case UNKNOWN -> unknown.incrementAndGet();
        }
        synchronized (this) {
            if (result.rejected()) {
                rejected.add(new Entry(op, result.why()));
            } else {
                operations.add(op);
            }
        }
        return op;
    }

    public int ok() {
        return ok.get();
    }

    public int fail() {
        return fail.get();
    }

    public int unknown() {
        return unknown.get();
    }

    /** The checked operations recorded so far (rejected cas/delete excluded), in no particular order. */
    public synchronized List<Operation> operations() {
        return List.copyOf(operations);
    }

    /** Writes the history; {@code comments} go first, each as a {@code #} line. */
    public void write(Path file, List<String> comments) throws IOException {
        List<Entry> all = new ArrayList<>();
        synchronized (this) {
            operations.forEach(op -> all.add(new Entry(op, null)));
            all.addAll(rejected);
        }
        all.sort(Comparator.comparingLong((Entry e) -> e.op().callTime()).thenComparingLong(e -> e.op().returnTime()));
        List<String> lines = new ArrayList<>();
        comments.forEach(comment -> lines.add("# " + comment));
        lines.add(PbkvHistoryFormat.HEADER);
        for (Entry entry : all) {
            String line = PbkvHistoryFormat.format(entry.op());
            lines.add(entry.why() == null ? line : REJECTED + entry.why() + ")\t" + line);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, lines, StandardCharsets.UTF_8);
    }
}
