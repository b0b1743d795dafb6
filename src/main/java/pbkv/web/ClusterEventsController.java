package pbkv.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * GET /cluster/events: this node's events as server-sent events ({@code replica} events with an id,
 * resumable with Last-Event-ID, and a {@code stats} event every second).
 */
@RestController
class ClusterEventsController {

    private final EventStreams streams;

    ClusterEventsController(EventStreams streams) {
        this.streams = streams;
    }

    @GetMapping(path = "/cluster/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(@RequestHeader(value = "Last-Event-ID", required = false) String lastEventId) {
        return streams.subscribe(parse(lastEventId));
    }

    /** No or empty header: from every event kept. */
    private static long parse(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(lastEventId.trim());
        } catch (NumberFormatException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid Last-Event-ID",
                    "Last-Event-ID is the id of the last event received, a number; leave it out to start from every event kept");
        }
    }
}
