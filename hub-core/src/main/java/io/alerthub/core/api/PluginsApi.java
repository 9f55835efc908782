package io.alerthub.core.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.alerthub.core.dispatch.PluginStatus;
import io.alerthub.spi.Authenticator;
import io.alerthub.spi.Identity;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code GET /api/v1/plugins}: every loaded notifier, its state, cursor, lag and counters. */
public final class PluginsApi implements HttpService {

    private final Access access;
    private final Supplier<List<PluginStatus>> plugins;

    public PluginsApi(Authenticator authenticator, Supplier<List<PluginStatus>> plugins) {
        this.access = new Access(authenticator);
        this.plugins = plugins;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/plugins", this::list)
                .any("/plugins", (req, res) -> EventsApi.methodNotAllowed(res, req.prologue().method(), "GET"));
    }

    private void list(ServerRequest req, ServerResponse res) {
        access.require(req, Identity.PUBLISH, Identity.ADMIN);
        List<Map<String, Object>> out = new ArrayList<>();
        for (PluginStatus p : plugins.get()) {
            out.add(entry(p));
        }
        Responses.json(res, Status.OK_200, Map.of("plugins", out));
    }

    static Map<String, Object> entry(PluginStatus p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("enabled", p.enabled());
        m.put("state", p.state().name());
        m.put("reason", p.reason());
        m.put("circuit", p.circuit());
        m.put("cursor", p.cursor());
        m.put("lag", p.lag());
        m.put("delivered", p.delivered());
        m.put("failed", p.failed());
        m.put("retried", p.retried());
        m.put("skipped_by_retention", p.skipped());
        m.put("source", p.source());
        if (!p.details().isEmpty()) {
            m.put("details", p.details());
        }
        return m;
    }
}
