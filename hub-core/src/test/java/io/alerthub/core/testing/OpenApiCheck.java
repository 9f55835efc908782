package io.alerthub.core.testing;

import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.alerthub.core.server.RouteTable;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Holds {@code GET /openapi} and the hub's routes together: every route the hub serves is described, and every
 * described operation is served (one marked {@code x-alerthub-plugin} while that plugin is loaded and enabled, and
 * one marked {@code x-alerthub-when} only when the test says that option is on).
 */
public final class OpenApiCheck {

    private OpenApiCheck() {
    }

    /**
     * @param options the {@code x-alerthub-when} options that are on in this hub
     */
    public static void assertDescribes(TestHub hub, Set<String> options) {
        HttpResponse<String> r = HubClient.send(hub.request("/openapi").header("Accept", "application/json").build());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /openapi answered " + r.statusCode() + ": " + r.body());
        }
        JsonNode doc = HubClient.json(r.body());
        Set<String> described = new TreeSet<>();
        Set<String> required = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String route = op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
                described.add(route);
                String plugin = op.getValue().path("x-alerthub-plugin").asText("");
                String when = op.getValue().path("x-alerthub-when").asText("");
                boolean pluginOn = plugin.isEmpty() || hub.hub().plugins().stream()
                        .anyMatch(p -> p.name().equals(plugin) && p.enabled());
                if (pluginOn && (when.isEmpty() || options.contains(when))) {
                    required.add(route);
                }
            }
        }
        Set<String> served = new TreeSet<>();
        for (RouteTable.Route route : hub.hub().routes()) {
            served.add(route.toString());
        }
        Set<String> undescribed = new TreeSet<>(served);
        undescribed.removeAll(described);
        Set<String> missing = new TreeSet<>(required);
        missing.removeAll(served);
        if (!undescribed.isEmpty() || !missing.isEmpty()) {
            throw new AssertionError("GET /openapi and the routes disagree:\n  served but not described: "
                    + undescribed + "\n  described but not served: " + missing);
        }
    }
}
