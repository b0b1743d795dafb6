package pbkv.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One real node on a random port: the initial primary of a two-node cluster whose backup never
 * runs (a majority of one lets it keep its lease alone), with a fresh data dir.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "node.id=primary",
        "cluster.members[0].id=primary",
        "cluster.members[0].url=http://127.0.0.1:1",
        "cluster.members[1].id=backup",
        "cluster.members[1].url=http://127.0.0.1:2",
        "cluster.initial-primary=primary",
        "failover.allow-unsafe-two-node=true",
        "cluster.secret=one-node-test-secret",
})
@Timeout(120)
abstract class OneNodeTest {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory("pbkv-one-node-test");
        dir.toFile().deleteOnExit();
        registry.add("node.data-dir", dir::toString);
    }
}
