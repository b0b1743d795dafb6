package pbkv.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import pbkv.core.Configuration;
import pbkv.core.StorageException;
import pbkv.core.VoterState;
import pbkv.core.VoterStore;

/**
 * The voter's promise in a small properties file, replaced atomically: write a temporary file,
 * fsync it, rename it over the old one, fsync the directory. A crash leaves the old or the new
 * promise, never a torn one.
 */
public final class FileVoterStore implements VoterStore {

    private final DataDirectory dir;
    private final Path file;

    public FileVoterStore(DataDirectory dir) {
        this.dir = dir;
        this.file = dir.path().resolve("voter.properties");
    }

    @Override
    public Optional<VoterState> load() {
        if (!dir.io().exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = dir.io().read(file)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            throw new StorageException("cannot read the vote in " + file + " (" + e + ")", e);
        }
        try {
            Set<String> inSync = Arrays.stream(p.getProperty("inSync", "").split(",")).filter(s -> !s.isBlank())
                    .collect(Collectors.toSet());
            Configuration config = new Configuration(Long.parseLong(p.getProperty("epoch")), p.getProperty("primary"), inSync);
            return Optional.of(new VoterState(Long.parseLong(p.getProperty("promisedEpoch")), config));
        } catch (RuntimeException e) {
            // A vote that cannot be read must not be guessed: voting again could break a promise.
            throw new StorageException(file + " is corrupt (" + e + "): restore it from a copy, or " + dir.wayOut(), e);
        }
    }

    @Override
    public void save(VoterState state) {
        String text = "# pbkv voter state: the highest epoch promised and the configuration accepted last\n"
                + "promisedEpoch=" + state.promisedEpoch() + "\n"
                + "epoch=" + state.config().epoch() + "\n"
                + "primary=" + state.config().primary() + "\n"
                + "inSync=" + String.join(",", new TreeSet<>(state.config().inSync())) + "\n";
        try {
            dir.writeAtomically(file, text);
        } catch (IOException e) {
            throw new StorageException("cannot persist the vote to " + file + ": " + e, e);
        }
    }
}
