package pbkv.web;

import jakarta.servlet.DispatcherType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import pbkv.config.ClusterProperties;
import pbkv.config.SecurityProperties;
import tools.jackson.databind.ObjectMapper;

/**
 * Who may call what (docs/security.md). Three filter chains, the first that matches a path wins:
 * peers on /replicate (the cluster secret as a bearer token); /kv without any filter while client
 * auth is off; everything else: HTTP Basic users, where every mutating /cluster call needs admin.
 *
 * <p>No sessions and no CSRF protection anywhere: every request carries its own credentials
 * (a bearer token or Basic), none is ever read from a cookie, so a browser cannot be tricked into
 * sending them with a forged request, which is what CSRF tokens defend against. Nothing
 * redirects to a login page: clients are programs and get a 401 problem with a challenge.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    /** Matches /replicate itself too. */
    private static final String PEER_PATHS = "/replicate/**";

    @Bean
    SecurityProblems securityProblems(ObjectMapper json) {
        return new SecurityProblems(json);
    }

    @Bean
    @Order(1)
    SecurityFilterChain peerChain(HttpSecurity http, ClusterProperties cluster, SecurityProblems problems) throws Exception {
        PeerSecretAuthentication secret = new PeerSecretAuthentication(cluster.secret());
        AuthenticationFilter authentication = new AuthenticationFilter(secret, secret);
        authentication.setSuccessHandler((request, response, auth) -> { }); // go on to the controller, no redirect
        authentication.setFailureHandler(problems.peerWrongSecret());
        // Peers are programs on the write path: no browser headers, no anonymous user, no servlet API wrapping.
        stateless(http).securityMatcher(PEER_PATHS)
                .headers(AbstractHttpConfigurer::disable)
                .anonymous(AbstractHttpConfigurer::disable)
                .servletApi(AbstractHttpConfigurer::disable)
                .addFilterAt(authentication, BasicAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a.anyRequest().hasAuthority(PeerSecretAuthentication.ROLE_PEER))
                .exceptionHandling(e -> e.authenticationEntryPoint(problems.peerMissingSecret()));
        return http.build();
    }

    /**
     * With client auth off, /kv runs no security filter at all: the write path costs what it cost
     * before Spring Security was added. A chain without filters, rather than
     * {@code WebSecurity#ignoring}, which logs a warning at every start.
     */
    @Bean
    @Order(2)
    @ConditionalOnBooleanProperty(name = "security.client-auth", havingValue = false, matchIfMissing = true)
    SecurityFilterChain openKvChain() {
        return new DefaultSecurityFilterChain(PathPatternRequestMatcher.pathPattern("/kv/**"));
    }

    @Bean
    @Order(3)
    SecurityFilterChain clientChain(HttpSecurity http, SecurityProperties security, KeyAccess keys,
                                    SecurityProblems problems) throws Exception {
        stateless(http)
                .httpBasic(basic -> basic.realmName("pbkv").authenticationEntryPoint(problems.clientUnauthenticated()))
                .exceptionHandling(e -> e.authenticationEntryPoint(problems.clientUnauthenticated())
                        .accessDeniedHandler(problems.clientForbidden()))
                .authorizeHttpRequests(a -> authorize(a, security, keys));
        return http.build();
    }

    private static void authorize(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry a,
                                  SecurityProperties security, KeyAccess keys) {
        // An error dispatch renders the status a request already got; it grants nothing.
        a.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
        boolean clientAuth = security.clientAuth();
        for (HttpMethod read : List.of(HttpMethod.GET, HttpMethod.HEAD)) {
            // The cluster's view and its event stream (the console's) are read like /kv.
            var view = a.requestMatchers(read, "/cluster", "/cluster/events");
            if (clientAuth) {
                view.authenticated();
            } else {
                view.permitAll();
            }
            // Dropped entries carry keys and values of any prefix: with client auth, the operator's.
            var divergence = a.requestMatchers(read, "/cluster/divergence");
            if (clientAuth) {
                divergence.hasRole(SecurityProperties.UserRole.ADMIN.name());
            } else {
                divergence.permitAll();
            }
        }
        // Every other method on /cluster changes the cluster: the operator's, always.
        a.requestMatchers("/cluster", "/cluster/**").hasRole(SecurityProperties.UserRole.ADMIN.name());
        if (!clientAuth) {
            a.anyRequest().permitAll();
            return;
        }
        for (HttpMethod read : List.of(HttpMethod.GET, HttpMethod.HEAD)) {
            a.requestMatchers(read, "/kv", "/kv/").access(keys.list());
            a.requestMatchers(read, "/kv/{key}").access(keys.readKey());
        }
        a.requestMatchers("/kv", "/kv/", "/kv/{key}").access(keys.writeKey());
        a.requestMatchers("/kv/**").hasRole(SecurityProperties.UserRole.ADMIN.name());
        List<String> open = new ArrayList<>();
        security.openEndpoints().forEach(id -> open.addAll(List.of("/actuator/" + id, "/actuator/" + id + "/**")));
        if (!open.isEmpty()) {
            a.requestMatchers(open.toArray(String[]::new)).permitAll();
        }
        a.anyRequest().authenticated();
    }

    private static HttpSecurity stateless(HttpSecurity http) throws Exception {
        return http.csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable);
    }

    @Bean
    KeyAccess keyAccess(SecurityProperties security, RoleHierarchy roles) {
        return new KeyAccess(security, roles);
    }

    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix()
                .role(SecurityProperties.UserRole.ADMIN.name())
                .implies(SecurityProperties.UserRole.READ.name(), SecurityProperties.UserRole.WRITE.name())
                .build();
    }

    /** admin from security.admin-password, and the configured users (also while client auth is off, for /cluster). */
    @Bean
    UserDetailsService users(SecurityProperties security) {
        List<UserDetails> users = new ArrayList<>();
        users.add(User.withUsername(SecurityProperties.ADMIN).password(security.adminPassword())
                .roles(SecurityProperties.UserRole.ADMIN.name()).build());
        security.users().forEach((name, user) -> users.add(User.withUsername(name).password(user.password())
                .roles(user.roles().stream().map(Enum::name).toArray(String[]::new)).build()));
        return new InMemoryUserDetailsManager(users);
    }

    /** {bcrypt}, {pbkdf2} and {noop} as Spring spells them; a password without an {id} is plain text. */
    @Bean
    PasswordEncoder passwordEncoder() {
        DelegatingPasswordEncoder encoder = new DelegatingPasswordEncoder("bcrypt", Map.of(
                "bcrypt", new BCryptPasswordEncoder(),
                "pbkdf2", Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8(),
                "noop", PlainPasswordEncoder.INSTANCE));
        encoder.setDefaultPasswordEncoderForMatches(PlainPasswordEncoder.INSTANCE);
        return encoder;
    }

    /**
     * Per-request observations of the filter chains would cost on every peer call of the write
     * path; 401 and 403 are counted in http.server.requests by status anyway.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    RequestRejectedHandler requestRejectedHandler(SecurityProblems problems) {
        return problems.rejected();
    }
}
