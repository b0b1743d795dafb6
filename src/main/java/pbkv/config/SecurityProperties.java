package pbkv.config;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call what. The operator's credential ({@code admin} with {@code adminPassword}) guards
 * every mutating /cluster call, always. With {@code clientAuth} on, /kv, GET /cluster and every
 * actuator endpoint not in {@code openEndpoints} need a user from {@code users} too.
 *
 * @param adminPassword the password of user {@code admin}, who may do everything; required
 * @param clientAuth    whether clients need credentials (off: /kv is open, as etcd and Redis are by default)
 * @param users         user name to password, roles and optional key prefix; the name admin is reserved
 * @param openEndpoints actuator endpoint ids reachable without credentials when client auth is on
 */
@ConfigurationProperties("security")
public record SecurityProperties(String adminPassword, @DefaultValue("false") boolean clientAuth,
                                 Map<String, User> users, @DefaultValue("health") List<String> openEndpoints) {

    public static final String ADMIN = "admin";
    /** A limit like every other: users are held in memory and listed in one file. */
    static final int MAX_USERS = 1000;
    /** As long as the longest key: a longer prefix could match nothing. */
    static final int MAX_KEY_PREFIX_CHARS = 256;

    /** What a user may do; admin includes read and write. */
    public enum UserRole { READ, WRITE, ADMIN }

    /**
     * @param password  {@code {bcrypt}...}, {@code {pbkdf2}...}, {@code {noop}...}, or plain text (as {noop})
     * @param roles     any of read, write, admin; none: the user may read GET /cluster and metrics only
     * @param keyPrefix when set, /kv calls of this user are limited to keys that start with it
     */
    public record User(String password, @DefaultValue List<UserRole> roles, String keyPrefix) {
        public User {
            roles = List.copyOf(roles);
        }

        @Override
        public String toString() {
            return "User[roles=" + roles + ", keyPrefix=" + keyPrefix + ", password=(hidden)]";
        }
    }

    public SecurityProperties {
        if (adminPassword == null || adminPassword.isBlank()) {
            throw new IllegalArgumentException("security.admin-password must be set: user admin needs it for POST /cluster/promote"
                    + " and every other cluster change (a {bcrypt} hash or plain text)");
        }
        users = users == null ? Map.of() : new TreeMap<>(users);
        if (users.size() > MAX_USERS) {
            throw new IllegalArgumentException("security.users lists " + users.size() + " users; at most " + MAX_USERS);
        }
        users.forEach(SecurityProperties::check);
        users = Map.copyOf(users);
        openEndpoints = List.copyOf(openEndpoints);
    }

    private static void check(String name, User user) {
        String where = "security.users." + name;
        if (ADMIN.equals(name)) {
            throw new IllegalArgumentException(where + ": the name admin is reserved for security.admin-password");
        }
        if (user == null || user.password() == null || user.password().isBlank()) {
            throw new IllegalArgumentException(where + ".password must be set");
        }
        String prefix = user.keyPrefix();
        if (prefix != null && (prefix.isEmpty() || prefix.length() > MAX_KEY_PREFIX_CHARS)) {
            throw new IllegalArgumentException(where + ".key-prefix must be 1 to " + MAX_KEY_PREFIX_CHARS
                    + " characters (leave it out for all keys)");
        }
    }

    @Override
    public String toString() {
        return "SecurityProperties[clientAuth=" + clientAuth + ", users=" + users + ", openEndpoints=" + openEndpoints
                + ", adminPassword=(hidden)]";
    }
}
