package io.alerthub.core.api;

import java.util.Map;
import java.util.function.Supplier;

import io.alerthub.spi.Authenticator;
import io.alerthub.spi.Identity;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /api/v1/cluster} (admin): this instance, the engine's state, the head, the members and the lanes each
 * runs (PROTOCOL section 9). With cluster mode off it answers 404, saying so.
 */
public final class ClusterApi implements HttpService {

    private final Access access;
    private final Supplier<Map<String, Object>> status;

    /**
     * @param status the cluster's status, or {@code null} when cluster mode is off
     */
    public ClusterApi(Authenticator authenticator, Supplier<Map<String, Object>> status) {
        this.access = new Access(authenticator);
        this.status = status;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/cluster", this::show)
                .any("/cluster", (req, res) -> EventsApi.methodNotAllowed(res, req.prologue().method(), "GET"));
    }

    private void show(ServerRequest req, ServerResponse res) {
        access.require(req, Identity.ADMIN);
        if (status == null) {
            throw new ApiException(Status.NOT_FOUND_404, "not_found",
                                   "cluster mode is off (cluster.enabled: false): this hub runs alone");
        }
        Responses.json(res, Status.OK_200, status.get());
    }
}
