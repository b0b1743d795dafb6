package pbkv.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import pbkv.config.KvProperties;
import pbkv.core.ClientWrite;
import pbkv.core.Replica;
import pbkv.core.ReplicaView;
import pbkv.core.Versioned;

/** The client API, /kv: validates, calls the replica, and maps its outcome with {@link OutcomeResponses}. */
@RestController
@RequestMapping("/kv")
class KvController {

    private final Replica replica;
    private final WriteCombiner writes;
    private final Clock clock;
    private final KvProperties kv;
    private final PendingAnswers answers;

    KvController(Replica replica, WriteCombiner writes, Clock clock, KvProperties kv, PendingAnswers answers) {
        this.replica = replica;
        this.writes = writes;
        this.clock = clock;
        this.kv = kv;
        this.answers = answers;
    }

    @PutMapping("/{key}")
    ResponseEntity<?> put(@PathVariable String key, @RequestHeader(value = "If-Match", required = false) String ifMatch,
                          HttpServletRequest request, HttpServletResponse response) throws IOException {
        KeyRules.check(key);
        Long expected = IfMatch.parse(ifMatch);
        String value = readValue(request);
        return answers.answer(writes.write(new ClientWrite(key, value, expected)), request, response);
    }

    @DeleteMapping("/{key}")
    ResponseEntity<?> delete(@PathVariable String key, @RequestHeader(value = "If-Match", required = false) String ifMatch,
                             HttpServletRequest request, HttpServletResponse response) {
        KeyRules.check(key);
        return answers.answer(writes.write(new ClientWrite(key, null, IfMatch.parse(ifMatch))), request, response);
    }

    @GetMapping("/{key}")
    ResponseEntity<?> get(@PathVariable String key, @RequestParam(defaultValue = "linearizable") String consistency,
                          HttpServletRequest request, HttpServletResponse response) {
        KeyRules.check(key);
        if ("local".equals(consistency)) {
            return localRead(key);
        }
        if (!"linearizable".equals(consistency)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid consistency", "consistency is linearizable (default) or local");
        }
        return answers.answer(replica.read(key, clock.instant()), request, response);
    }

    /** {@code PUT /kv/} and {@code DELETE /kv/}: a key of zero bytes. */
    @RequestMapping(value = {"", "/"}, method = {org.springframework.web.bind.annotation.RequestMethod.PUT,
            org.springframework.web.bind.annotation.RequestMethod.DELETE})
    @io.swagger.v3.oas.annotations.Hidden // always 400 (a key is at least one byte): the spec lists PUT /kv/{key}
    void emptyKey() {
        KeyRules.check("");
    }

    @GetMapping({"", "/"})
    Map<String, Object> list(@RequestParam(defaultValue = "") String prefix, @RequestParam(required = false) Integer limit) {
        int max = limit == null ? kv.maxListSize() : Math.max(0, Math.min(limit, kv.maxListSize()));
        ReplicaView view = replica.view(clock.instant());
        List<Map.Entry<String, Versioned>> entries = replica.store().scan(prefix, max + 1);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("node", view.nodeId());
        body.put("role", view.role());
        body.put("epoch", view.epoch());
        body.put("lastIndex", view.last().index());
        body.put("commitIndex", view.commitIndex());
        body.put("count", Math.min(entries.size(), max));
        body.put("truncated", entries.size() > max);
        body.put("entries", entries.stream().limit(max)
                .map(e -> Map.of("key", e.getKey(), "value", e.getValue().value(), "version", e.getValue().version())).toList());
        return body;
    }

    private ResponseEntity<?> localRead(String key) {
        ReplicaView view = replica.view(clock.instant());
        Versioned v = replica.readLocal(key);
        ResponseEntity.BodyBuilder ok = ResponseEntity.status(v == null ? HttpStatus.NOT_FOUND : HttpStatus.OK)
                .header("X-Replication-Index", Long.toString(view.last().index()))
                .header("X-Node-Role", view.role().name());
        if (v == null) {
            return ok.contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                    .body(Problems.problem(HttpStatus.NOT_FOUND, "Key not found", "no key " + key + " in this node's copy",
                            Map.of("key", key, "consistency", "local")));
        }
        return ok.body(Map.of("key", key, "value", v.value(), "version", v.version(), "consistency", "local"));
    }

    private String readValue(HttpServletRequest request) throws IOException {
        long max = kv.maxValueSize().toBytes();
        if (request.getContentLengthLong() > max) {
            throw tooLarge(request.getContentLengthLong(), max);
        }
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        }
        if (bytes.length > max) {
            throw tooLarge(bytes.length, max);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid value", "values are UTF-8 text");
        }
    }

    private static ApiException tooLarge(long size, long max) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Value too large",
                "the value is " + size + " bytes; kv.max-value-size is " + max, Map.of("maxValueSize", max));
    }
}
