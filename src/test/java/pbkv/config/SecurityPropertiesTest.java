package pbkv.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pbkv.config.SecurityProperties.User;
import pbkv.config.SecurityProperties.UserRole;

class SecurityPropertiesTest {

    private static SecurityProperties with(String adminPassword, Map<String, User> users) {
        return new SecurityProperties(adminPassword, false, users, List.of("health"));
    }

    @Test
    void aNodeWithoutAnAdminPasswordDoesNotStartAndTheMessageNamesTheSetting() {
        for (String missing : new String[] {null, "", "  "}) {
            assertThatThrownBy(() -> with(missing, Map.of()))
                    .hasMessageContaining("security.admin-password must be set");
        }
    }

    @Test
    void theNameAdminIsReservedForTheAdminPassword() {
        assertThatThrownBy(() -> with("pw", Map.of("admin", new User("x", List.of(UserRole.READ), null))))
                .hasMessageContaining("security.users.admin").hasMessageContaining("reserved");
    }

    @Test
    void aUserNeedsAPasswordAndAKeyPrefixIsNeverEmpty() {
        assertThatThrownBy(() -> with("pw", Map.of("app", new User(" ", List.of(), null))))
                .hasMessageContaining("security.users.app.password");
        assertThatThrownBy(() -> with("pw", Map.of("app", new User("x", List.of(), ""))))
                .hasMessageContaining("security.users.app.key-prefix");
        assertThatThrownBy(() -> with("pw", Map.of("app", new User("x", List.of(), "k".repeat(257)))))
                .hasMessageContaining("security.users.app.key-prefix");
    }

    @Test
    void passwordsNeverAppearInTheTextOfTheSettings() {
        SecurityProperties settings = with("admin-secret", Map.of("app", new User("user-secret", List.of(UserRole.READ), "app:")));

        assertThat(settings.toString()).doesNotContain("admin-secret", "user-secret").contains("app:", "READ");
    }

    @Test
    void noUsersIsAnEmptyMap() {
        assertThat(with("pw", null).users()).isEmpty();
    }
}
