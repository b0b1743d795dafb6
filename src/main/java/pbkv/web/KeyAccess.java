package pbkv.web;

import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationManagers;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import pbkv.config.SecurityProperties;

/**
 * Authorization of /kv calls with client auth on: the role the call needs, and, for a user with a
 * key prefix, that every key the call touches starts with it (etcd's key ranges, Redis's ACL key
 * patterns). A listing touches the keys under its {@code prefix} parameter, so a prefix user must
 * name a prefix inside its own.
 */
final class KeyAccess {

    static final String LIST_PREFIX_PARAMETER = "prefix";
    static final String KEY_VARIABLE = "key";

    private final Map<String, String> keyPrefixOfUser;
    private final RoleHierarchy roles;

    KeyAccess(SecurityProperties security, RoleHierarchy roles) {
        this.keyPrefixOfUser = security.users().entrySet().stream().filter(e -> e.getValue().keyPrefix() != null)
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> e.getValue().keyPrefix()));
        this.roles = roles;
    }

    /** GET /kv/{key}: read, and the key within the user's prefix. */
    AuthorizationManager<RequestAuthorizationContext> readKey() {
        return allOf(SecurityProperties.UserRole.READ, context -> context.getVariables().getOrDefault(KEY_VARIABLE, ""));
    }

    /** PUT and DELETE of /kv/{key} (and of /kv/, the empty key): write, and the key within the prefix. */
    AuthorizationManager<RequestAuthorizationContext> writeKey() {
        return allOf(SecurityProperties.UserRole.WRITE, context -> context.getVariables().getOrDefault(KEY_VARIABLE, ""));
    }

    /** GET /kv: read, and the listing's prefix within the user's prefix (absent: every key, so outside). */
    AuthorizationManager<RequestAuthorizationContext> list() {
        return allOf(SecurityProperties.UserRole.READ, context -> {
            String prefix = context.getRequest().getParameter(LIST_PREFIX_PARAMETER);
            return prefix == null ? "" : prefix;
        });
    }

    private AuthorizationManager<RequestAuthorizationContext> allOf(SecurityProperties.UserRole role,
                                                                    Function<RequestAuthorizationContext, String> keyOf) {
        AuthorityAuthorizationManager<RequestAuthorizationContext> hasRole = AuthorityAuthorizationManager.hasRole(role.name());
        hasRole.setRoleHierarchy(roles);
        return AuthorizationManagers.allOf(hasRole, (authentication, context) -> withinPrefix(authentication, keyOf.apply(context)));
    }

    private AuthorizationResult withinPrefix(Supplier<? extends Authentication> authentication, String key) {
        String prefix = keyPrefixOfUser.get(authentication.get().getName());
        return new AuthorizationDecision(prefix == null || key.startsWith(prefix));
    }
}
