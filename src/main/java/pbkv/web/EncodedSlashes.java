package pbkv.web;

import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.stereotype.Component;

/**
 * Tomcat refuses a path with an encoded slash ({@code /kv/a%2Fb}) itself, with its own HTML error
 * page, before any filter runs. Passed through instead, the request meets Spring Security's
 * firewall, which refuses it too, but as problem JSON like every other error. Keys never contain
 * a slash, so no request that could succeed is refused either way.
 */
@Component
class EncodedSlashes implements TomcatConnectorCustomizer {

    @Override
    public void customize(org.apache.catalina.connector.Connector connector) {
        connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
    }
}
