package io.alerthub.core.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.alerthub.core.notify.InvalidInputException;
import io.alerthub.core.notify.Silence;
import io.alerthub.core.notify.Silences;
import io.alerthub.spi.Authenticator;
import io.alerthub.spi.Identity;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Silences and maintenance windows: {@code POST /api/v1/silences} ({@code 201}), {@code GET /api/v1/silences},
 * {@code GET} and {@code DELETE /api/v1/silences/{id}} (expire). A bad matcher, an end before the start or an
 * unknown time zone is a {@code 400} naming the field.
 */
public final class SilencesApi implements HttpService {

    private static final int MAX_BODY = 16 * 1024;

    private final Access access;
    private final Silences silences;

    public SilencesApi(Authenticator authenticator, Silences silences) {
        this.access = new Access(authenticator);
        this.silences = silences;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/silences", this::create)
                .get("/silences", this::list)
                .any("/silences", (req, res) -> EventsApi.methodNotAllowed(res, req.prologue().method(), "GET, POST"))
                .get("/silences/{id}", this::one)
                .delete("/silences/{id}", this::expire)
                .any("/silences/{id}", (req, res) -> EventsApi.methodNotAllowed(res, req.prologue().method(),
                                                                                "GET, DELETE"));
    }

    private void create(ServerRequest req, ServerResponse res) {
        access.require(req, Identity.PUBLISH, Identity.ADMIN);
        EventsApi.requireJson(req);
        JsonNode body = Responses.parse(AlarmsApi.body(req, MAX_BODY));
        Silence s;
        try {
            s = silences.create(body);
        } catch (InvalidInputException e) {
            throw new ApiException(Status.BAD_REQUEST_400, "invalid_silence", e.getMessage(), e.field(), 0);
        } catch (IllegalStateException e) {
            throw new ApiException(Status.CONFLICT_409, "too_many_silences", e.getMessage());
        }
        res.header("Location", "/api/v1/silences/" + s.id());
        Responses.json(res, Status.CREATED_201, s.toJson(silences.now()));
    }

    private void list(ServerRequest req, ServerResponse res) {
        access.require(req, Identity.SUBSCRIBE, Identity.ADMIN);
        Instant now = silences.now();
        List<JsonNode> out = new ArrayList<>();
        for (Silence s : silences.list()) {
            out.add(s.toJson(now));
        }
        Responses.json(res, Status.OK_200, Map.of("silences", out));
    }

    private void one(ServerRequest req, ServerResponse res) {
        access.require(req, Identity.SUBSCRIBE, Identity.ADMIN);
        String id = req.path().pathParameters().get("id");
        Silence s = silences.list().stream().filter(x -> x.id().equals(id)).findFirst()
                .orElseThrow(() -> unknown(id));
        Responses.json(res, Status.OK_200, s.toJson(silences.now()));
    }

    private void expire(ServerRequest req, ServerResponse res) {
        access.require(req, Identity.PUBLISH, Identity.ADMIN);
        String id = req.path().pathParameters().get("id");
        Silence s = silences.expire(id).orElseThrow(() -> unknown(id));
        Responses.json(res, Status.OK_200, s.toJson(silences.now()));
    }

    private static ApiException unknown(String id) {
        return new ApiException(Status.NOT_FOUND_404, "unknown_silence", "no silence has id "
                + id.replaceAll("\\p{Cntrl}", "?"), "id", 0);
    }
}
