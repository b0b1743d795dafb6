package pbkv.peer;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The reply body as one byte array, refused past a limit: a peer's replies are a few hundred
 * bytes, and a wrong URL must not make a node buffer whatever answers there.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final HttpResponse.BodySubscriber<byte[]> whole = HttpResponse.BodySubscribers.ofByteArray();
    private final int limit;
    private Flow.Subscription subscription;
    private long received;
    private boolean refused;

    BoundedBody(int limit) {
        this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return whole.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        whole.onSubscribe(subscription);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (refused) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            received += buffer.remaining();
        }
        if (received > limit) {
            refused = true;
            subscription.cancel();
            whole.onError(new IOException("peer reply longer than " + limit + " bytes"));
            return;
        }
        whole.onNext(buffers);
    }

    @Override
    public void onError(Throwable failure) {
        if (!refused) {
            whole.onError(failure);
        }
    }

    @Override
    public void onComplete() {
        if (!refused) {
            whole.onComplete();
        }
    }
}
