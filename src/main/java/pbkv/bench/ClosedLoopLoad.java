package pbkv.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop load: each client is its own thread that sends one request, waits for the answer,
 * and sends the next, for warm-up plus measurement. Only requests started inside the measured
 * window count; latencies (microseconds) go to a histogram per client, merged at the end, so
 * clients never contend on a shared recorder.
 */
final class ClosedLoopLoad {

    /** What the clients send: writes and reads, picked at random, reads with probability readRatio. */
    record Workload(List<HttpRequest> writes, List<HttpRequest> reads, double readRatio) {
    }

    /** One measured phase. Latency histogram in microseconds; statuses counts each failure kind. */
    record Measurement(int clients, double seconds, Histogram latencyMicros, long errors, Map<String, Long> failures) {
        long ok() {
            return latencyMicros.getTotalCount();
        }

        double opsPerSecond() {
            return ok() / seconds;
        }

        double percentileMillis(double p) {
            return ok() == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(p) / 1000.0;
        }

        /** Phases of the same load taken together: their requests, errors and measured seconds added up. */
        static Measurement merge(List<Measurement> phases) {
            Histogram latencies = new Histogram(3);
            long errors = 0;
            double seconds = 0;
            Map<String, Long> failures = new TreeMap<>();
            for (Measurement m : phases) {
                latencies.add(m.latencyMicros());
                errors += m.errors();
                seconds += m.seconds();
                m.failures().forEach((k, v) -> failures.merge(k, v, Long::sum));
            }
            return new Measurement(phases.get(0).clients(), seconds, latencies, errors, failures);
        }
    }

    private ClosedLoopLoad() {
    }

    /**
     * Runs {@code clients} threads over {@code httpClients} (client i uses httpClients[i % n]).
     * Returns when every client has finished its last request, or gave up on it.
     */
    static Measurement run(Workload workload, int clients, List<HttpClient> httpClients, Duration warmup, Duration measure)
            throws InterruptedException {
        return run(workload, clients, httpClients, warmup, measure, null);
    }

    /** As above; {@code cpu} (if not null) is started and stopped with the measured window. */
    static Measurement run(Workload workload, int clients, List<HttpClient> httpClients, Duration warmup, Duration measure,
                           CpuMeter cpu) throws InterruptedException {
        long start = System.nanoTime() + 50_000_000L; // every thread exists before the clock starts
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + measure.toNanos();
        List<Client> all = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Client c = new Client(workload, httpClients.get(i % httpClients.size()), start, measureFrom, end);
            Thread t = new Thread(c, "bench-client-" + i);
            t.setDaemon(true);
            c.thread = t;
            all.add(c);
            t.start();
        }
        if (cpu != null) {
            sleepUntil(measureFrom);
            cpu.begin();
            sleepUntil(end);
            cpu.end();
        }
        long joinBy = end + KvHttp.REQUEST_TIMEOUT.toNanos() + 5_000_000_000L;
        Histogram merged = new Histogram(3);
        long errors = 0;
        Map<String, Long> failures = new TreeMap<>();
        for (Client c : all) {
            c.thread.join(Math.max(1, (joinBy - System.nanoTime()) / 1_000_000));
            if (c.thread.isAlive()) {
                c.thread.interrupt(); // a request hung past its own timeout: stop waiting for it
                c.thread.join(1_000);
            }
            synchronized (c) {
                merged.add(c.histogram);
                errors += c.errors;
                c.failures.forEach((k, v) -> failures.merge(k, v, Long::sum));
            }
        }
        return new Measurement(clients, measure.toNanos() / 1e9, merged, errors, failures);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    private static final class Client implements Runnable {
        private final Workload workload;
        private final HttpClient http;
        private final long start;
        private final long measureFrom;
        private final long end;
        private final Histogram histogram = new Histogram(3); // auto-resizing: no outlier is lost
        private final Map<String, Long> failures = new TreeMap<>();
        private long errors;
        private Thread thread;

        Client(Workload workload, HttpClient http, long start, long measureFrom, long end) {
            this.workload = workload;
            this.http = http;
            this.start = start;
            this.measureFrom = measureFrom;
            this.end = end;
        }

        @Override
        public void run() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            try {
                sleepUntil(start);
                while (true) {
                    long t0 = System.nanoTime();
                    if (t0 >= end) {
                        return;
                    }
                    boolean read = workload.readRatio() > 0 && random.nextDouble() < workload.readRatio();
                    List<HttpRequest> pool = read ? workload.reads() : workload.writes();
                    HttpRequest request = pool.get(random.nextInt(pool.size()));
                    sendOne(request, read, t0, t0 >= measureFrom);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void sendOne(HttpRequest request, boolean read, long t0, boolean measured) throws InterruptedException {
            String failure;
            try {
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                long micros = (System.nanoTime() - t0) / 1_000;
                if (status == 200 || (read && status == 404)) {
                    if (measured) {
                        synchronized (this) {
                            histogram.recordValue(micros);
                        }
                    }
                    return;
                }
                failure = "HTTP " + status;
            } catch (IOException e) {
                failure = e.getClass().getSimpleName();
                Thread.sleep(10); // a refused connection fails at once: do not spin on it
            }
            if (measured) {
                synchronized (this) {
                    errors++;
                    failures.merge(failure, 1L, Long::sum);
                }
            }
        }
    }
}
