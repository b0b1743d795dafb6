package pbkv.scenario;

import java.util.ArrayList;
import java.util.List;

/** The moments the timeline marks: faults the scenario caused, promotions, catch-ups. */
final class Markers {

    enum Kind { FAULT, PROMOTION, CATCH_UP }

    record Marker(long nanos, String label, Kind kind) {
    }

    private final List<Marker> markers = new ArrayList<>(); // guarded by this

    synchronized void add(String label, Kind kind) {
        markers.add(new Marker(System.nanoTime(), label, kind));
    }

    synchronized List<Marker> all() {
        return List.copyOf(markers);
    }
}
