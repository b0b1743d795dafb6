package pbkv.web;

import java.util.Map;
import org.springframework.http.HttpStatus;

/** A client error found while translating a request: becomes problem JSON, changes nothing. */
class ApiException extends RuntimeException {
    final HttpStatus status;
    final String title;
    final Map<String, Object> properties;

    ApiException(HttpStatus status, String title, String detail) {
        this(status, title, detail, Map.of());
    }

    ApiException(HttpStatus status, String title, String detail, Map<String, Object> properties) {
        super(detail);
        this.status = status;
        this.title = title;
        this.properties = properties;
    }
}
