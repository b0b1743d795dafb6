package pbkv.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A put past kv.max-keys or kv.max-memory is 507 problem JSON that says which bound and changes
 * nothing; overwrites that do not grow the store and deletes go through. One real node, the
 * initial primary of a new cluster, like {@link BadInputTest}; each test starts from an empty store.
 */
@TestPropertySource(properties = {"kv.max-keys=2", "kv.max-memory=64B"})
class StoreFullTest extends OneNodeTest {

    @BeforeEach
    void emptyTheStore() {
        for (JsonNode entry : send("GET", "/kv", null).json().path("entries")) {
            assertThat(send("DELETE", "/kv/" + entry.path("key").asString(), null).status()).isEqualTo(200);
        }
    }

    @Test
    void aNewKeyPastKvMaxKeysIs507ProblemJsonAndChangesNothing() {
        write("a", "1");
        write("b", "1");
        String listing = listing();

        Reply reply = send("PUT", "/kv/c", "1");

        assertStoreFull(reply, "kv.max-keys", 2);
        assertThat(reply.json().path("detail").asString()).contains("holds 2 keys", "kv.max-keys=2");
        assertThat(listing()).isEqualTo(listing);
        assertThat(send("GET", "/kv/c", null).status()).isEqualTo(404);
        assertThat(send("PUT", "/kv/a", "2").status()).as("an overwrite at the bound").isEqualTo(200);
        assertThat(send("DELETE", "/kv/b", null).status()).as("a delete at the bound").isEqualTo(200);
        assertThat(send("PUT", "/kv/c", "1").status()).as("the delete made room").isEqualTo(200);
    }

    @Test
    void aPutPastKvMaxMemoryIs507ProblemJsonAndChangesNothing() {
        write("m", "x".repeat(60)); // 61 of 64 bytes
        String listing = listing();

        Reply reply = send("PUT", "/kv/m", "x".repeat(64));

        assertStoreFull(reply, "kv.max-memory", 64);
        assertThat(reply.json().path("detail").asString()).contains("65 bytes", "kv.max-memory=64 bytes");
        assertThat(listing()).isEqualTo(listing);
        assertThat(send("PUT", "/kv/m", "y".repeat(60)).status()).as("an overwrite of the same size").isEqualTo(200);
    }

    private static void assertStoreFull(Reply reply, String limit, long bound) {
        assertThat(reply.status()).as("status of %s", reply.body()).isEqualTo(507);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        JsonNode json = reply.json();
        assertThat(json.path("type").asString()).isEqualTo("https://pbkv.dev/problems/store-full");
        assertThat(json.path("title").asString()).isEqualTo("Store full");
        assertThat(json.path("status").asInt()).isEqualTo(507);
        assertThat(json.path("limit").asString()).isEqualTo(limit);
        assertThat(json.path("bound").asLong()).isEqualTo(bound);
        assertThat(json.path("outcome").asString()).isEqualTo("not-applied");
    }

    private void write(String key, String value) {
        Reply reply = send("PUT", "/kv/" + key, value);
        assertThat(reply.status()).as("PUT /kv/%s: %s", key, reply.body()).isEqualTo(200);
    }

    /** This node's whole copy and position, as GET /kv lists it. */
    private String listing() {
        JsonNode json = send("GET", "/kv", null).json();
        return json.path("lastIndex").asLong() + " " + json.path("commitIndex").asLong() + " " + json.path("entries");
    }
}
