package pbkv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The common pool's parallelism set before the node starts: with 1 (the JDK's default on 2 CPUs)
 * CompletableFuture's default executor, where the JDK HttpClient completes every async peer call,
 * starts a thread per task.
 */
class PbkvApplicationTest {

    private String before;

    @BeforeEach
    void saveProperty() {
        before = System.getProperty(PbkvApplication.COMMON_POOL_PARALLELISM);
    }

    @AfterEach
    void restoreProperty() {
        if (before == null) {
            System.clearProperty(PbkvApplication.COMMON_POOL_PARALLELISM);
        } else {
            System.setProperty(PbkvApplication.COMMON_POOL_PARALLELISM, before);
        }
    }

    @Test
    void withoutASettingTheCommonPoolGetsAtLeastTwoThreads() {
        System.clearProperty(PbkvApplication.COMMON_POOL_PARALLELISM);

        PbkvApplication.atLeastTwoCommonPoolThreads();

        assertThat(Integer.parseInt(System.getProperty(PbkvApplication.COMMON_POOL_PARALLELISM)))
                .isGreaterThanOrEqualTo(2)
                .isGreaterThanOrEqualTo(Runtime.getRuntime().availableProcessors() - 1);
    }

    @Test
    void anExplicitSettingWins() {
        System.setProperty(PbkvApplication.COMMON_POOL_PARALLELISM, "1");

        PbkvApplication.atLeastTwoCommonPoolThreads();

        assertThat(System.getProperty(PbkvApplication.COMMON_POOL_PARALLELISM)).isEqualTo("1");
    }
}
