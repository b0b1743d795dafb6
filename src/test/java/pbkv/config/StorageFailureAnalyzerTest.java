package pbkv.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import pbkv.core.StorageException;

class StorageFailureAnalyzerTest {

    @Test
    void aStorageFailureAtStartUpIsReportedAsItsMessageAndAnAction() {
        StorageException cause = new StorageException("data dir run/data/n1 belongs to node 'n2': move run/data/n1 away");
        BeanCreationException failure = new BeanCreationException("replica", "Failed to instantiate", cause);

        FailureAnalysis analysis = SpringFactoriesAnalyzers.analyze(StorageFailureAnalyzer.class, failure);

        assertThat(analysis.getDescription()).isEqualTo(cause.getMessage());
        assertThat(analysis.getAction()).contains("start the node again");
    }
}
