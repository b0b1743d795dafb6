package pbkv.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Shows TLS settings that cannot work together as what is wrong and what to set, not a stack trace of bean creation. */
final class TlsFailureAnalyzer extends AbstractFailureAnalyzer<TlsSettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, TlsSettingsException cause) {
        return new FailureAnalysis("TLS settings: " + cause.getMessage(), cause.action() + " See docs/tls.md.", cause);
    }
}
