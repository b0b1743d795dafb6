package pbkv;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class PbkvApplication {

    static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    public static void main(String[] args) {
        atLeastTwoCommonPoolThreads();
        SpringApplication.run(PbkvApplication.class, args);
    }

    /**
     * The JDK HttpClient hands every async reply to CompletableFuture's default executor (the
     * common pool), and a common pool of parallelism 1 (the default on 2 CPUs) makes that executor
     * start a new thread per task: a thread started per replicate reply, a cost paid on every
     * batch under load. Two threads keep it a pool. Must run before anything uses the common pool; an
     * explicit -D setting wins.
     */
    static void atLeastTwoCommonPoolThreads() {
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
            System.setProperty(COMMON_POOL_PARALLELISM, Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
        }
    }
}
