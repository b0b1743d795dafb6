package pbkv.core;

/**
 * How a replica reaches its peers. {@link #send} must neither block nor throw: it hands the
 * request over and returns. The replica calls it outside its lock, on the thread of the input
 * that made the request (a client write, a peer reply, a tick), so it may start the I/O itself. The reply, if any, comes back through {@link Replica#onReply}. A lost
 * request or reply is normal; the replica resends, and every request is idempotent by position.
 */
public interface Transport {
    void send(String to, PeerRequest request);
}
