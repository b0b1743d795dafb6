package pbkv.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Prints a refused setting as the problem and the way out. Ordered first: a setting refused while
 * Spring binds it would otherwise be reported by Boot's binding analyzer, which shows the
 * exception's message but not the action.
 */
final class SettingsFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSettingsException> implements Ordered {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidSettingsException cause) {
        return new FailureAnalysis("pbkv refuses to start: " + cause.getMessage(), cause.action(), cause);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
