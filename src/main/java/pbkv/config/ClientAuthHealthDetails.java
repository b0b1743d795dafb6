package pbkv.config;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * With client auth on, /actuator/health stays open (load balancers and orchestrators probe it
 * without credentials) but its details (role, epoch, members, storage failures) are shown to
 * authenticated callers only. The shipped application.yml shows them always, which suits the
 * open local cluster; this source overrides the config files then, while a command-line argument,
 * a system property or an environment variable still wins.
 */
public final class ClientAuthHealthDetails implements EnvironmentPostProcessor {

    static final String SOURCE = "pbkvClientAuthHealthDetails";
    static final Map<String, Object> WHEN_AUTHORIZED = Map.of(
            "management.endpoint.health.show-details", "when-authorized",
            "management.endpoint.health.show-components", "when-authorized");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty("security.client-auth", Boolean.class, false)) {
            return;
        }
        MapPropertySource source = new MapPropertySource(SOURCE, WHEN_AUTHORIZED);
        if (environment.getPropertySources().contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
            environment.getPropertySources().addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, source);
        } else {
            environment.getPropertySources().addFirst(source);
        }
    }
}
