package pbkv.link;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/** How a {@link LinkProxy} currently treats the bytes it forwards. Switched at runtime, read per chunk. */
public sealed interface LinkMode {

    /** Forward everything as fast as possible. */
    record Pass() implements LinkMode {
    }

    /** Deliver nothing: new connections are reset on accept, existing ones are reset when the cut starts. */
    record Cut() implements LinkMode {
    }

    /** Forward every chunk {@code latency} after it was read, in order (head-of-line, like TCP). */
    record Delay(Duration latency) implements LinkMode {
        public Delay {
            Objects.requireNonNull(latency, "latency");
            if (latency.isNegative()) {
                throw new IllegalArgumentException("negative latency " + latency);
            }
        }
    }

    /**
     * Each new connection and each chunk is "lost" with probability {@code p}. A loss blackholes the whole
     * connection (see {@link LinkProxy#lossy(double, long)} for why) so the request on it times out.
     */
    record Lossy(double p, long seed, Random random) implements LinkMode {
        public Lossy {
            if (!(p >= 0.0 && p <= 1.0)) {
                throw new IllegalArgumentException("loss probability must be in [0,1]: " + p);
            }
            Objects.requireNonNull(random, "random");
        }

        Lossy(double p, long seed) {
            this(p, seed, new Random(seed));
        }

        /** One draw of the seeded generator; {@link Random} is thread-safe, draws are ordered by arrival. */
        boolean loses() {
            return p > 0.0 && random.nextDouble() < p;
        }

        @Override
        public String toString() {
            return "Lossy[p=" + p + ", seed=" + seed + "]";
        }
    }

    /** The proxy was closed for good. */
    record Closed() implements LinkMode {
    }

    LinkMode PASS = new Pass();
    LinkMode CUT = new Cut();
    LinkMode CLOSED = new Closed();
}
