package pbkv.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import pbkv.core.StorageException;

class StorageFailureAnalyzerTest {

    @Test
    void aStorageFailureAtStartUpIsReportedAsItsMessageAndAnAction() {
        StorageException cause = new StorageException("data dir run/data/n1 belongs to node 'n2': move run/data/n1 away");
        BeanCreationException failure = new BeanCreationException("replica", "Failed to instantiate", cause);

        // Loaded as Boot loads analyzers at a failed start: from spring.factories, with a bean factory at hand.
        SpringFactoriesLoader.ArgumentResolver arguments = SpringFactoriesLoader.ArgumentResolver
                .of(BeanFactory.class, new DefaultListableBeanFactory()).and(Environment.class, new StandardEnvironment());
        FailureAnalysis analysis = SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
                .load(FailureAnalyzer.class, arguments, (type, name, e) -> { }).stream()
                .filter(StorageFailureAnalyzer.class::isInstance)
                .findFirst().orElseThrow()
                .analyze(failure);

        assertThat(analysis.getDescription()).isEqualTo(cause.getMessage());
        assertThat(analysis.getAction()).contains("start the node again");
    }
}
