package pbkv.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * TLS for peer traffic: {@code bundle} names a Spring Boot SSL bundle ({@code spring.ssl.bundle.jks.<name>} or
 * {@code .pem.<name>}) whose truststore verifies the other members and whose key, if it has one, this node
 * presents when a peer asks for a client certificate (mutual TLS). Unset: peers speak plain HTTP.
 * {@link PeerTls} checks it against the member urls and the server's own TLS at start-up.
 */
@ConfigurationProperties("cluster.ssl")
public record ClusterSslProperties(String bundle) {
}
