package pbkv.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import pbkv.harness.KvClient;

/**
 * The bench's requests, built with the shared {@link KvClient}'s request and HTTP client settings.
 * Requests are immutable and reusable, so the load generator builds each one once ({@link #put},
 * {@link #get}) and sends it many times over its own {@link #newClient()}s.
 */
final class KvHttp {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** How long the bench waits for a node's /cluster, /actuator/health or metrics answer. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private KvHttp() {
    }

    static HttpClient newClient() {
        return KvClient.newHttpClient(null);
    }

    /** The client for the bench's probes of the nodes' JSON answers. */
    static KvClient prober() {
        return new KvClient().withTimeout(PROBE_TIMEOUT);
    }

    static HttpRequest put(String baseUrl, String key, byte[] value, Duration timeout) {
        return KvClient.request("PUT", KvClient.kvUri(baseUrl, key, false), value, Map.of(), timeout);
    }

    static HttpRequest get(String baseUrl, String key, boolean local) {
        return KvClient.request("GET", KvClient.kvUri(baseUrl, key, local), null, Map.of(), REQUEST_TIMEOUT);
    }

    /** A value of {@code size} printable ASCII bytes; its content does not matter to the store. */
    static byte[] value(int size, long seed) {
        byte[] v = new byte[size];
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < size; i++) {
            v[i] = (byte) ('a' + random.nextInt(26));
        }
        return v;
    }

    static String key(long i) {
        return "k" + i;
    }
}
