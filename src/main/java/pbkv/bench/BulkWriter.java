package pbkv.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes keys {@code k<from>} .. {@code k<to-1>} once each, from several threads, retrying a key
 * until it is acknowledged (a write may be refused or time out while the primary drops a paused
 * backup from the in-sync set). Used to preload a scenario's key set and to make a backup miss
 * N writes. Bounded by {@code limit}; prints progress every few seconds.
 */
final class BulkWriter {

    record Result(long written, long retries, double seconds) {
        double perSecond() {
            return written / seconds;
        }
    }

    private BulkWriter() {
    }

    static Result write(List<HttpClient> clients, String baseUrl, long from, long to, byte[] value, int threads, Duration limit,
                        String label, PrintStream progress) throws IOException, InterruptedException {
        AtomicLong next = new AtomicLong(from);
        AtomicLong written = new AtomicLong();
        AtomicLong retries = new AtomicLong();
        long started = System.nanoTime();
        long deadline = started + limit.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            HttpClient http = clients.get(t % clients.size());
            Thread worker = new Thread(() -> writeKeys(http, baseUrl, next, to, value, deadline, written, retries), "bulk-" + t);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        long lastReport = started;
        for (Thread worker : workers) {
            while (worker.isAlive()) {
                worker.join(1_000);
                if (System.nanoTime() - lastReport > 5_000_000_000L) {
                    lastReport = System.nanoTime();
                    progress.printf(Locale.ROOT, "  %s: %,d of %,d written (%.0f/s), %d retries%n", label, written.get(), to - from,
                            written.get() / ((lastReport - started) / 1e9), retries.get());
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (written.get() < to - from) {
            throw new IOException(label + ": only " + written.get() + " of " + (to - from) + " writes acknowledged within "
                    + limit.toSeconds() + " s");
        }
        return new Result(written.get(), retries.get(), seconds);
    }

    private static void writeKeys(HttpClient http, String baseUrl, AtomicLong next, long to, byte[] value, long deadline,
                                  AtomicLong written, AtomicLong retries) {
        try {
            for (long i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
                HttpRequest request = KvHttp.put(baseUrl, KvHttp.key(i), value, KvHttp.REQUEST_TIMEOUT);
                while (true) {
                    if (System.nanoTime() > deadline) {
                        return;
                    }
                    if (tryOnce(http, request)) {
                        written.incrementAndGet();
                        break;
                    }
                    retries.incrementAndGet();
                    Thread.sleep(5);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean tryOnce(HttpClient http, HttpRequest request) throws InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }
}
