package pbkv.client;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/** {@code kv status}: every member's own view (role, epoch, log), one line each. */
@Command(name = "status", description = "Show every member: role, epoch, in-sync set, log and commit index.")
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    Kv kv;

    @Override
    public Integer call() {
        ClusterClient client = kv.client();
        PrintWriter out = kv.spec.commandLine().getOut();
        ClusterClient.Answer first = client.send("GET", "/cluster", null, Map.of());
        if (first.status() != 200) {
            kv.spec.commandLine().getErr().println("kv: " + (first.status() == 0 ? first.failure() : "GET /cluster answered " + first.status()));
            return Kv.UNAVAILABLE;
        }
        List<JsonNode> views = new ArrayList<>();
        Kv.parse(first.body()).path("members").forEach(m -> views.add(viewOf(client, m)));
        if (kv.json) {
            ArrayNode all = Kv.JSON.createArrayNode();
            views.forEach(all::add);
            out.println(all);
            return Kv.OK;
        }
        out.printf("%-12s %-26s %-9s %6s %-24s %10s %10s%n", "ID", "URL", "ROLE", "EPOCH", "IN SYNC", "LOG", "COMMIT");
        for (JsonNode v : views) {
            out.printf("%-12s %-26s %-9s %6s %-24s %10s %10s%n", v.path("id").asString(), v.path("url").asString(),
                    v.path("role").asString("DOWN"), v.path("epoch").asString("-"), v.path("inSync").isMissingNode() ? "-" : v.path("inSync").toString(),
                    v.path("lastIndex").asString("-"), v.path("commitIndex").asString("-"));
        }
        return Kv.OK;
    }

    /** The member's own /cluster, with its id and url; only those two when it does not answer. */
    private static JsonNode viewOf(ClusterClient client, JsonNode member) {
        String url = member.path("url").asString();
        try {
            HttpResponse<String> r = client.http().send(HttpRequest.newBuilder(URI.create(url + "/cluster"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode view = Kv.parse(r.body());
            if (r.statusCode() == 200 && view != null && view.isObject()) {
                ((tools.jackson.databind.node.ObjectNode) view).put("url", url);
                return view;
            }
        } catch (java.io.IOException e) {
            // shown as DOWN
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Kv.JSON.createObjectNode().put("id", member.path("id").asString()).put("url", url);
    }
}
