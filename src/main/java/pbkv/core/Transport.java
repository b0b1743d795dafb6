package pbkv.core;

/**
 * How a replica reaches its peers. {@link #send} must neither block nor throw: it hands the
 * request over and returns. The reply, if any, comes back through {@link Replica#onReply}. A lost
 * request or reply is normal; the replica resends, and every request is idempotent by position.
 */
public interface Transport {
    void send(String to, PeerRequest request);
}
