package pbkv.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import pbkv.core.StorageException;

/**
 * A node that cannot trust its data dir stops at start-up; this shows the operator the message,
 * which names the path and the way out, instead of a stack trace of bean creation.
 */
final class StorageFailureAnalyzer extends AbstractFailureAnalyzer<StorageException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StorageException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Do what the message says, then start the node again. A node refuses a data dir it cannot trust rather than"
                        + " serve from it: an emptied dir is safe, as the node then catches up from the primary.",
                cause);
    }
}
