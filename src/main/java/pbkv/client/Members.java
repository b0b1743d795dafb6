package pbkv.client;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Where the client sends requests: {@code --members}, or the member urls of the cluster's config file. */
final class Members {

    private Members() {
    }

    /** The comma-separated urls, or those of {@code config}; witnesses are left out (they hold no data). */
    static List<String> resolve(String option, Path config) {
        if (option != null && !option.isBlank()) {
            return Arrays.stream(option.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Members::withoutSlash).toList();
        }
        if (!Files.isRegularFile(config)) {
            throw new IllegalArgumentException("no --members given and no config file at " + config
                    + ": pass --members http://host:port,... or --config FILE");
        }
        try (Reader in = Files.newBufferedReader(config)) {
            Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            List<String> urls = members(root).stream()
                    .filter(m -> !Boolean.TRUE.equals(m.get("witness")))
                    .map(m -> m.get("url")).filter(String.class::isInstance).map(u -> withoutSlash((String) u)).toList();
            if (urls.isEmpty()) {
                throw new IllegalArgumentException(config + " lists no cluster.members with a url");
            }
            return urls;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + config + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> members(Object root) {
        if (root instanceof Map<?, ?> top && top.get("cluster") instanceof Map<?, ?> cluster
                && cluster.get("members") instanceof List<?> list) {
            return list.stream().filter(Map.class::isInstance).map(m -> (Map<String, Object>) m).toList();
        }
        return List.of();
    }

    private static String withoutSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
