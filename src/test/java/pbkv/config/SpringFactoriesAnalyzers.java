package pbkv.config;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** A failure analyzer loaded as Boot loads them at a failed start: from spring.factories, with a bean factory at hand. */
final class SpringFactoriesAnalyzers {

    private SpringFactoriesAnalyzers() {
    }

    static FailureAnalysis analyze(Class<? extends FailureAnalyzer> type, Throwable failure) {
        SpringFactoriesLoader.ArgumentResolver arguments = SpringFactoriesLoader.ArgumentResolver
                .of(BeanFactory.class, new DefaultListableBeanFactory()).and(Environment.class, new StandardEnvironment());
        return SpringFactoriesLoader.forDefaultResourceLocation(SpringFactoriesAnalyzers.class.getClassLoader())
                .load(FailureAnalyzer.class, arguments, (t, name, e) -> { }).stream()
                .filter(type::isInstance)
                .findFirst().orElseThrow(() -> new AssertionError(type.getSimpleName() + " is not in spring.factories"))
                .analyze(failure);
    }
}
