package pbkv.peer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.AbstractBufferingClientHttpRequest;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;

/**
 * RestClient's requests over the JDK HttpClient, with each body sent and received whole. Spring's
 * own JdkClientHttpRequestFactory streams every request body through a task on another thread and
 * the reply through a blocking stream; for a peer message, which is small and already whole in
 * memory, that is one more thread hand-off per call and nothing gained. Here the body goes out as one byte array and the reply is
 * read into one, at most {@code maxReplyBytes}. The timeout covers the exchange until the reply's
 * headers, as in Spring's factory: a node writes a reply's headers and its few hundred bytes of
 * body together. (Bounding the body too means waiting on sendAsync with a time limit: more code
 * for a wait that the few hundred bytes after the headers never make.)
 */
final class WholeBodyJdkRequestFactory implements ClientHttpRequestFactory {

    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> SET_BY_CLIENT = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final HttpClient client;
    private final Duration timeout;
    private final int maxReplyBytes;

    WholeBodyJdkRequestFactory(HttpClient client, Duration timeout, int maxReplyBytes) {
        this.client = client;
        this.timeout = timeout;
        this.maxReplyBytes = maxReplyBytes;
    }

    @Override
    public ClientHttpRequest createRequest(URI uri, HttpMethod method) {
        return new WholeBodyRequest(uri, method);
    }

    private final class WholeBodyRequest extends AbstractBufferingClientHttpRequest {
        private final URI uri;
        private final HttpMethod method;

        WholeBodyRequest(URI uri, HttpMethod method) {
            this.uri = uri;
            this.method = method;
        }

        @Override
        public HttpMethod getMethod() {
            return method;
        }

        @Override
        public URI getURI() {
            return uri;
        }

        @Override
        protected ClientHttpResponse executeInternal(HttpHeaders headers, byte[] body) throws IOException {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(timeout)
                    .method(method.name(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach((name, values) -> {
                if (!SET_BY_CLIENT.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            try {
                return new WholeBodyResponse(client.send(request.build(), reply -> new BoundedBody(maxReplyBytes)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for " + uri);
            }
        }
    }

    private static final class WholeBodyResponse implements ClientHttpResponse {
        private final HttpResponse<byte[]> response;
        private final HttpHeaders headers = new HttpHeaders();

        WholeBodyResponse(HttpResponse<byte[]> response) {
            this.response = response;
            response.headers().map().forEach(headers::addAll);
        }

        @Override
        public HttpStatusCode getStatusCode() {
            return HttpStatusCode.valueOf(response.statusCode());
        }

        @Override
        public String getStatusText() {
            return "";
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public InputStream getBody() {
            return new ByteArrayInputStream(response.body());
        }

        @Override
        public void close() {
            // Nothing to release: the connection went back to the pool when the body was read.
        }
    }
}
