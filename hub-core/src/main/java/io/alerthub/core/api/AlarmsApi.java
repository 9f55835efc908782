package io.alerthub.core.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.alerthub.core.alarm.Alarm;
import io.alerthub.core.alarm.Alarms;
import io.alerthub.core.event.IngestGate;
import io.alerthub.core.event.InvalidEventException;
import io.alerthub.core.event.ViolationAck;
import io.alerthub.core.server.ConnectionGuard;
import io.alerthub.spi.Authenticator;
import io.alerthub.spi.Identity;
import io.alerthub.spi.Severity;
import io.alerthub.spi.SubscriptionPattern;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The alarms ({@code GET /api/v1/alarms}) and the operators' commands on them:
 * {@code POST /api/v1/violations/{id}/ack} and {@code POST /api/v1/violations/{id}/clear}. An unknown id is a
 * {@code 404}; a second acknowledgement keeps the first and says so ({@code 200}, {@code already_acknowledged}).
 */
public final class AlarmsApi implements HttpService {

    private static final int MAX_LIMIT = 1000;
    private static final int MAX_CLEAR_BODY = 16 * 1024;

    private final Access access;
    private final Alarms alarms;
    private final EventsApi events;

    /**
     * @param events the publish API, whose rate limit the events of acknowledgements and clears count against
     */
    public AlarmsApi(Authenticator authenticator, Alarms alarms, EventsApi events) {
        this.access = new Access(authenticator);
        this.alarms = alarms;
        this.events = events;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/alarms", this::list)
                .any("/alarms", (req, res) -> EventsApi.methodNotAllowed(res, req.prologue().method(), "GET"))
                .get("/alarms/{violation_id}", this::one)
                .any("/alarms/{violation_id}", (req, res) -> EventsApi.methodNotAllowed(res, req.prologue().method(),
                                                                                        "GET"))
                .post("/violations/{violation_id}/ack", this::acknowledge)
                .any("/violations/{violation_id}/ack",
                     (req, res) -> EventsApi.methodNotAllowed(res, req.prologue().method(), "POST"))
                .post("/violations/{violation_id}/clear", this::clear)
                .any("/violations/{violation_id}/clear",
                     (req, res) -> EventsApi.methodNotAllowed(res, req.prologue().method(), "POST"));
    }

    private void list(ServerRequest req, ServerResponse res) {
        access.require(req, Identity.SUBSCRIBE, Identity.ADMIN);
        var query = req.query();
        String state = query.first("state").orElse("active").toLowerCase(Locale.ROOT);
        if (!List.of("active", "cleared", "all").contains(state)) {
            throw ApiException.badRequest("state", "state must be active, cleared or all");
        }
        Boolean acknowledged = switch (query.first("acknowledged").orElse("").toLowerCase(Locale.ROOT)) {
            case "" -> null;
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw ApiException.badRequest("acknowledged", "acknowledged must be true or false");
        };
        String characteristic = query.first("characteristic_id").filter(s -> !s.isEmpty()).orElse(null);
        if (characteristic != null && !SubscriptionPattern.CHARACTERISTIC_ID.matcher(characteristic).matches()) {
            throw ApiException.badRequest("characteristic_id", "characteristic_id must be 1 to 64 characters"
                    + " A-Z a-z 0-9 _ -");
        }
        List<SubscriptionPattern> topics = EventsApi.patterns(query.all("topic", List::of), "topic", true);
        Set<Severity> severities = EnumSet.noneOf(Severity.class);
        for (String value : query.all("severity", List::of)) {
            for (String s : value.split(",")) {
                if (s.isBlank()) {
                    continue;
                }
                try {
                    severities.add(Severity.valueOf(s.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("severity", "severity must be INFO, WARNING or CRITICAL"
                            + " (several separated by commas)");
                }
            }
        }
        int limit = (int) EventsApi.longParam(query.first("limit").orElse(null), "limit", 100, 1, MAX_LIMIT);
        List<Alarm> found = catchingUp(() -> alarms.query(new Alarms.Query(
                state, acknowledged, characteristic,
                topics.isEmpty() ? null : t -> EventsApi.anyMatches(topics, t), severities, limit)));
        List<JsonNode> out = new ArrayList<>(found.size());
        found.forEach(a -> out.add(a.toJson()));
        Responses.json(res, Status.OK_200, Map.of("alarms", out));
    }

    private void one(ServerRequest req, ServerResponse res) {
        access.require(req, Identity.SUBSCRIBE, Identity.ADMIN);
        String id = violationId(req);
        Alarm alarm = catchingUp(() -> alarms.get(id)).orElseThrow(() -> unknown(id));
        Responses.json(res, Status.OK_200, alarm.toJson());
    }

    private void acknowledge(ServerRequest req, ServerResponse res) {
        Identity identity = access.require(req, Identity.PUBLISH, Identity.ADMIN);
        EventsApi.requireJson(req);
        String id = req.path().pathParameters().get("violation_id");
        ViolationAck ack = ViolationAck.read(id, body(req, ViolationAck.MAX_BODY));
        events.limit(req, identity, 1);
        Alarms.AckResult r = command(() -> alarms.acknowledge(ack), ack.violationId());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accepted", r.already() ? 0 : 1);
        body.put("duplicates", r.already() ? 1 : 0);
        body.put("seq", List.of(r.seq()));
        if (r.already()) {
            body.put("already_acknowledged", true);
            body.put("alarm", r.alarm().toJson());
        }
        Responses.json(res, r.already() ? Status.OK_200 : Status.ACCEPTED_202, body);
    }

    private void clear(ServerRequest req, ServerResponse res) {
        Identity identity = access.require(req, Identity.PUBLISH, Identity.ADMIN);
        EventsApi.requireJson(req);
        String id = violationId(req);
        JsonNode body = Responses.parse(body(req, MAX_CLEAR_BODY));
        if (!body.isObject()) {
            throw new InvalidEventException(InvalidEventException.Kind.INVALID_EVENT, null,
                                            "the body must be a JSON object: {\"user\":..,\"reason\":..}");
        }
        for (var names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("user") && !name.equals("reason")) {
                throw new InvalidEventException(InvalidEventException.Kind.INVALID_EVENT, name,
                                                "unknown field; a clear has user and reason");
            }
        }
        for (String name : List.of("user", "reason")) {
            if (body.has(name) && !body.get(name).isNull() && !body.get(name).isTextual()) {
                throw new InvalidEventException(InvalidEventException.Kind.INVALID_EVENT, name,
                                                name + " must be a string");
            }
        }
        String user = body.path("user").isTextual() ? body.get("user").asText() : null;
        String reason = body.path("reason").isTextual() ? body.get("reason").asText() : null;
        events.limit(req, identity, 1);
        Alarms.ClearResult r = command(() -> alarms.clear(id, user, reason), id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accepted", r.already() ? 0 : 1);
        out.put("duplicates", 0);
        out.put("seq", r.already() ? List.of() : List.of(r.seq()));
        if (r.already()) {
            out.put("already_cleared", true);
            out.put("alarm", r.alarm().toJson());
        }
        Responses.json(res, r.already() ? Status.OK_200 : Status.ACCEPTED_202, out);
    }

    private static String violationId(ServerRequest req) {
        String id = req.path().pathParameters().get("violation_id");
        if (id == null || !SubscriptionPattern.CHARACTERISTIC_ID.matcher(id).matches()) {
            throw new InvalidEventException(InvalidEventException.Kind.INVALID_EVENT, "violation_id",
                                            "violation_id must be 1 to 64 characters A-Z a-z 0-9 _ -");
        }
        return id;
    }

    /** The body, read under the body timeout (a client that trickles it is cut off, as for a publish). */
    static byte[] body(ServerRequest req, int max) {
        try (ConnectionGuard.Disarm deadline = ConnectionGuard.bodyDeadline();
             InputStream in = req.content().inputStream()) {
            byte[] b = in.readNBytes(max + 1);
            if (b.length > max) {
                throw new InvalidEventException(InvalidEventException.Kind.TOO_LARGE, null,
                                                "the body must be at most " + max + " bytes");
            }
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ApiException unknown(String id) {
        return new ApiException(Status.NOT_FOUND_404, "unknown_alarm", "no alarm has violation_id " + id,
                                "violation_id", 0);
    }

    private static <T> T command(java.util.function.Supplier<T> command, String id) {
        try {
            return catchingUp(command);
        } catch (Alarms.UnknownAlarmException e) {
            throw unknown(id);
        } catch (IngestGate.RefusedException e) {
            throw ApiException.refused(e);
        }
    }

    private static <T> T catchingUp(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalStateException e) {
            throw new ApiException(Status.SERVICE_UNAVAILABLE_503, "catching_up", e.getMessage(), null, 1);
        }
    }
}
