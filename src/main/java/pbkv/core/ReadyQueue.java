package pbkv.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The steps' output ({@link Ready}), queued in step order under the replica's lock and performed
 * outside it: an fsync, a socket write and a future's callbacks (HTTP answers) are not
 * microseconds, and under the replica's lock any of them would hold up every other input.
 */
final class ReadyQueue {

    /** Told under the replica's lock: everything up to {@code lastIndex} is on disk. */
    interface Written {
        void written(long lastIndex, Instant now);
    }

    /** Told under the replica's lock: a write failed; the steps of its batch are marked failed and send nothing. */
    interface Failed {
        void failed(StorageException e, Instant now);
    }

    private final Object replicaLock;
    private final Ready.Builder step;
    private final DurableLog durable;
    private final Transport transport;
    private final Written written;
    private final Failed failed;
    private final ConcurrentLinkedQueue<Ready> readies = new ConcurrentLinkedQueue<>();
    /** Held while writing to disk, outside the replica's lock: one writer, in step order. */
    private final ReentrantLock diskLock = new ReentrantLock();

    ReadyQueue(Object replicaLock, Ready.Builder step, DurableLog durable, Transport transport, Written written, Failed failed) {
        this.replicaLock = replicaLock;
        this.step = step;
        this.durable = durable;
        this.transport = transport;
        this.written = written;
        this.failed = failed;
    }

    /**
     * Runs one input's step under the replica's lock, then (outside it) writes, sends and answers
     * what it made. The result is returned only once what the step wrote is on disk; if that
     * write failed, {@code ifNotWritten} (if any) replaces it: a backup's acknowledgement becomes
     * a refusal.
     */
    <T> T run(Instant now, Supplier<T> lockedStep, UnaryOperator<T> ifNotWritten) {
        T result = null;
        RuntimeException failure = null;
        Ready made;
        synchronized (replicaLock) {
            try {
                result = lockedStep.get();
            } catch (RuntimeException e) {
                failure = e;
                step.dropOutgoing(); // a step that failed half-way sends nothing
            }
            made = seal(now);
        }
        if (made != null) {
            perform();
        }
        if (failure != null) {
            throw failure;
        }
        return made != null && made.failed && ifNotWritten != null ? ifNotWritten.apply(result) : result;
    }

    /** Under the lock, at the end of a step: queues what it made, in step order; null if nothing. */
    Ready seal(Instant now) {
        if (step.isEmpty()) {
            return null;
        }
        Ready made = step.build(now);
        readies.add(made);
        return made;
    }

    /** Under the lock, when a write failed: the queued steps came from memory that held what the disk lacks. */
    void failQueued() {
        for (Ready queued : readies) {
            queued.failed = true;
        }
    }

    /**
     * Hands over what the steps so far made, outside the lock, in three stages. First their
     * writes, in step order, under the disk lock: a thread that finds it held waits, then finds
     * its step written by the holder (one append, so one fsync, for every step queued: group
     * commit). Then the requests, so that the next round trip starts at once, then the outcomes
     * to their futures, both on this thread with no hand-off.
     */
    void perform() {
        List<Ready> handOut = new ArrayList<>();
        diskLock.lock();
        try {
            for (List<Ready> batch = drain(); !batch.isEmpty(); batch = drain()) {
                write(batch);
                handOut.addAll(batch);
            }
        } finally {
            diskLock.unlock();
        }
        for (Ready r : handOut) {
            if (!r.failed) {
                for (Ready.Outgoing o : r.outgoing) {
                    transport.send(o.to(), o.request());
                }
            }
        }
        for (Ready r : handOut) {
            for (Ready.Decided d : r.decided) {
                d.future().complete(d.outcome());
            }
        }
    }

    private List<Ready> drain() {
        List<Ready> batch = new ArrayList<>();
        Ready r;
        while ((r = readies.poll()) != null) {
            batch.add(r);
        }
        return batch;
    }

    /** Under the disk lock: the batch's writes in order, consecutive appends in one call. */
    private void write(List<Ready> batch) {
        List<LogEntry> run = new ArrayList<>();
        long written = -1;
        StorageException failure = null;
        try {
            for (Ready r : batch) {
                for (Ready.Write w : r.failed ? List.<Ready.Write>of() : r.writes) {
                    if (w instanceof Ready.Append a) {
                        run.addAll(a.entries());
                    } else if (w instanceof Ready.Reset reset) {
                        written = flush(run, written);
                        durable.reset(reset.position(), reset.items());
                        written = reset.position().index();
                    }
                }
            }
            written = flush(run, written);
        } catch (StorageException e) {
            failure = e;
        }
        if (written < 0 && failure == null) {
            return; // nothing to write: heartbeats, replies, votes
        }
        Instant now = batch.get(batch.size() - 1).now;
        synchronized (replicaLock) {
            if (failure != null) {
                batch.forEach(r -> r.failed = true);
                failed.failed(failure, now);
            } else {
                this.written.written(written, now);
            }
            seal(now); // the acknowledgements or step-down this made: drained next, in order
        }
    }

    private long flush(List<LogEntry> run, long written) {
        if (run.isEmpty()) {
            return written;
        }
        durable.append(run);
        long last = run.get(run.size() - 1).index();
        run.clear();
        return last;
    }
}
