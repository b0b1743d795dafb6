package pbkv.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import pbkv.core.Configuration;
import pbkv.core.VoterState;
import pbkv.core.VoterStore;

/**
 * The voter's promise in a small properties file, replaced atomically: write a temporary file,
 * fsync it, rename it over the old one, fsync the directory. A crash leaves the old or the new
 * promise, never a torn one.
 */
public final class FileVoterStore implements VoterStore {

    private final Path file;

    public FileVoterStore(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + directory, e);
        }
        this.file = directory.resolve("voter.properties");
    }

    @Override
    public Optional<VoterState> load() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Set<String> inSync = Arrays.stream(p.getProperty("inSync", "").split(",")).filter(s -> !s.isBlank())
                .collect(Collectors.toSet());
        Configuration config = new Configuration(Long.parseLong(p.getProperty("epoch")), p.getProperty("primary"), inSync);
        return Optional.of(new VoterState(Long.parseLong(p.getProperty("promisedEpoch")), config));
    }

    @Override
    public void save(VoterState state) {
        String text = "# pbkv voter state: the highest epoch promised and the configuration accepted last\n"
                + "promisedEpoch=" + state.promisedEpoch() + "\n"
                + "epoch=" + state.config().epoch() + "\n"
                + "primary=" + state.config().primary() + "\n"
                + "inSync=" + String.join(",", new TreeSet<>(state.config().inSync())) + "\n";
        Path tmp = file.resolveSibling("voter.properties.tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(StandardCharsets.UTF_8.encode(text));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException ignored) {
                // Some file systems cannot fsync a directory; the rename is still atomic.
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot persist the vote to " + file, e);
        }
    }
}
