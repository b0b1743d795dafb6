package pbkv.peer;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import pbkv.core.PeerReply;
import pbkv.core.PeerRequest;
import pbkv.core.ReplicateReply;
import pbkv.core.ReplicateRequest;
import pbkv.core.SnapshotChunk;
import pbkv.core.Transport;
import pbkv.core.VoteReply;
import pbkv.core.VoteRequest;

/**
 * The core's {@link Transport} over HTTP; every reply is passed to the replica. A replicate
 * request (a batch or a heartbeat, nearly all the traffic) is written by the sending thread, and
 * its reply is handed to the replica by the thread that completes the call
 * ({@link PeerClient#postAsync}), which then sends the next batch itself: no thread waits on the
 * call, and none is woken to make it. Votes and snapshot chunks, and the retries of a replicate
 * request, go to a bounded pool whose threads wait on them. When the pool is full the request is
 * dropped, which the protocol tolerates (it resends; requests are idempotent).
 */
public final class HttpTransport implements Transport, AutoCloseable {

    private static final System.Logger LOG = System.getLogger("pbkv.peer");

    private final PeerClient client;
    private final Map<String, String> urls;
    private final Clock clock;
    private final ThreadPoolExecutor executor;
    private volatile BiConsumer<PeerReply, java.time.Instant> replies = (r, t) -> { };

    public HttpTransport(PeerClient client, Map<String, String> urls, Clock clock, int threads) {
        this.client = client;
        this.urls = Map.copyOf(urls);
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4096), r -> {
            Thread t = new Thread(r, "peer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.DiscardPolicy());
        executor.allowCoreThreadTimeOut(true);
    }

    /** Where replies go: set once the replica exists (it needs this transport to be built). */
    public void onReplies(BiConsumer<PeerReply, java.time.Instant> handler) {
        this.replies = handler;
    }

    @Override
    public void send(String to, PeerRequest request) {
        String base = urls.get(to);
        if (base == null) {
            LOG.log(System.Logger.Level.WARNING, "no url for member {0}", to);
            return;
        }
        if (request instanceof ReplicateRequest) {
            client.postAsync(base + "/replicate", request, ReplicateReply.class, executor).thenAccept(this::deliver);
            return;
        }
        executor.execute(() -> deliver(call(base, request)));
    }

    private void deliver(PeerReply reply) {
        if (reply == null) {
            return;
        }
        try {
            replies.accept(reply, clock.instant());
        } catch (RuntimeException bug) {
            LOG.log(System.Logger.Level.ERROR, "the replica failed on a reply from " + reply.from(), bug);
        }
    }

    private PeerReply call(String base, PeerRequest request) {
        if (request instanceof SnapshotChunk) {
            return client.post(base + "/replicate/snapshot", request, ReplicateReply.class);
        } else if (request instanceof VoteRequest) {
            return client.post(base + "/replicate/vote", request, VoteReply.class);
        }
        throw new IllegalArgumentException("unknown request " + request.getClass());
    }

    /**
     * See {@link PeerClient#warmUp}: call once the node serves HTTP, with its port. Over TLS when the peer client
     * speaks it: a node that serves HTTPS has https member urls (checked at start-up), and its own handshake then
     * gets readied too.
     */
    public void warmUp(int ownPort) {
        client.warmUp(client.scheme() + "://127.0.0.1:" + ownPort + "/actuator/health");
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
