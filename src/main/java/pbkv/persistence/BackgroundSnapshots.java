package pbkv.persistence;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one daemon thread that takes snapshots. Requests while one is waiting to run fold into it,
 * so a burst of appends queues at most one run behind the running one.
 */
final class BackgroundSnapshots implements AutoCloseable {

    private static final long STOP_TIMEOUT_SECONDS = 10;

    private final Runnable task;
    private final AtomicBoolean queued = new AtomicBoolean();
    private ExecutorService thread;
    private boolean stopped;

    BackgroundSnapshots(Runnable task) {
        this.task = task;
    }

    /** Accepts requests again after {@link #close}. */
    synchronized void open() {
        stopped = false;
    }

    synchronized void request() {
        if (stopped) {
            return;
        }
        if (thread == null) {
            thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "pbkv-snapshot");
                t.setDaemon(true);
                return t;
            });
        }
        if (queued.compareAndSet(false, true)) {
            thread.execute(() -> {
                queued.set(false);
                task.run();
            });
        }
    }

    @Override
    public void close() {
        ExecutorService running;
        synchronized (this) {
            stopped = true;
            running = thread;
            thread = null;
            queued.set(false);
        }
        if (running == null) {
            return;
        }
        // Waits outside this object's lock: the run may be waiting for the log's lock, whose holder may be in request().
        running.shutdownNow();
        try {
            running.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
