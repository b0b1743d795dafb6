package pbkv.web;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;
import pbkv.config.ClusterProperties;
import pbkv.config.ConsoleProperties;

/**
 * CORS for the console: a page loaded from one member calls the others directly to follow the
 * primary (a proxy through the loading node would die with it). Only the client API and the
 * cluster view are shared, with the members' own origins unless console.allowed-origins says
 * otherwise; /replicate, /cluster/promote and actuator stay same-origin. A filter rather than MVC
 * mappings so that the answer is the same whatever handles the path; the source is a bean so that
 * a security filter chain's CORS support can use the same rules.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleCors {

    static final List<String> SHARED_PATHS = List.of("/cluster", "/cluster/events", "/kv", "/kv/**");

    @Bean
    CorsConfigurationSource corsConfigurationSource(ConsoleProperties console, ClusterProperties cluster) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(console.originsOr(cluster));
        cors.setAllowedMethods(List.of("GET", "PUT", "DELETE"));
        cors.setAllowedHeaders(List.of("If-Match", "Content-Type", "Last-Event-ID", "Cache-Control"));
        cors.setExposedHeaders(List.of("ETag", "Location", "Retry-After", "X-Pbkv-Primary", "X-Node-Role", "X-Replication-Index"));
        cors.setMaxAge(Duration.ofMinutes(10));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        SHARED_PATHS.forEach(path -> source.registerCorsConfiguration(path, cors));
        return source;
    }

    @Bean
    FilterRegistrationBean<CorsFilter> consoleCorsFilter(CorsConfigurationSource corsConfigurationSource) {
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(new CorsFilter(corsConfigurationSource));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
