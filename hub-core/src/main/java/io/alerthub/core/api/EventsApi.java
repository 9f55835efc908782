package io.alerthub.core.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.alerthub.core.config.SecuritySettings;
import io.alerthub.core.event.EventDraft;
import io.alerthub.core.event.EventParser;
import io.alerthub.core.event.Ingest;
import io.alerthub.core.event.IngestGate;
import io.alerthub.core.event.InvalidEventException;
import io.alerthub.spi.Authenticator;
import io.alerthub.spi.Event;
import io.alerthub.spi.EventHistory;
import io.alerthub.spi.Identity;
import io.alerthub.spi.SubscriptionPattern;
import io.alerthub.core.server.ConnectionGuard;

import io.helidon.common.media.type.MediaType;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;


/**
 * {@code /api/v1/events}: publish and history. (Acknowledgements are the alarms': {@link AlarmsApi}.)
 */
public final class EventsApi implements HttpService {

    private static final int MAX_LIMIT = 1000;

    private final Access access;
    private final EventParser parser;
    private final Ingest ingest;
    private final IngestGate gate;
    private final EventHistory history;
    private final Clock clock;
    private final Optional<RateLimits> rateLimits;

    public EventsApi(Authenticator authenticator, EventParser parser, Ingest ingest, IngestGate gate, EventHistory history,
                     Clock clock, Optional<SecuritySettings.RateLimit> rateLimit) {
        this.access = new Access(authenticator);
        this.rateLimits = rateLimit.map(RateLimits::new);
        this.parser = parser;
        this.ingest = ingest;
        this.gate = gate;
        this.history = history;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/events", this::publish)
                .get("/events", this::query)
                .any("/events", (req, res) -> methodNotAllowed(res, req.prologue().method(), "GET, POST"));
    }

    static void methodNotAllowed(ServerResponse res, Method method, String allow) {
        if (method == Method.OPTIONS) {
            // a CORS preflight: Helidon's CORS support answers it (or, without CORS, the JSON 404)
            res.next();
            return;
        }
        res.header("Allow", allow);
        Responses.json(res, Status.METHOD_NOT_ALLOWED_405,
                       Responses.errorBody("method_not_allowed", method.text() + " is not allowed here; use " + allow,
                                           null));
    }

    private void publish(ServerRequest req, ServerResponse res) {
        Identity identity = access.require(req, Identity.PUBLISH);
        requireJson(req);
        // The body is read before the in-flight gate is taken, under the body timeout: clients that trickle their
        // bodies hold a connection each, never a place in the gate that legitimate producers need.
        List<EventDraft> drafts;
        try (ConnectionGuard.Disarm deadline = ConnectionGuard.bodyDeadline();
             InputStream body = req.content().inputStream()) {
            drafts = parser.parse(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        limit(req, identity, drafts.size());
        enter();
        try {
            Ingest.Result result = ingest.accept(drafts);
            accepted(res, result);
        } finally {
            gate.exit();
        }
    }

    private void query(ServerRequest req, ServerResponse res) {
        access.require(req, Identity.SUBSCRIBE, Identity.ADMIN);
        var query = req.query();
        long since = longParam(query.first("since").orElse(null), "since", 0, 0, Long.MAX_VALUE);
        int limit = (int) longParam(query.first("limit").orElse(null), "limit", 100, 1, MAX_LIMIT);
        List<SubscriptionPattern> topics = patterns(query.all("topic", List::of), "topic", true);
        List<SubscriptionPattern> types = patterns(query.all("type", List::of), "type", false);

        long head = history.headSeq();
        long after = Math.max(since, history.oldestSeq() - 1);
        List<Event> matched = new ArrayList<>();
        long lastSeq = head;
        scan:
        while (after < head) {
            List<Event> chunk = history.after(after, MAX_LIMIT);
            if (chunk.isEmpty()) {
                break;
            }
            for (Event e : chunk) {
                if ((topics.isEmpty() || anyMatches(topics, e.topics()))
                        && (types.isEmpty() || anyMatches(types, List.of(e.type())))) {
                    matched.add(e);
                    if (matched.size() == limit) {
                        lastSeq = e.seq();
                        break scan;
                    }
                }
            }
            after = chunk.getLast().seq();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + matched.size() * 512);
        out.writeBytes("{\"events\":[".getBytes());
        for (Iterator<Event> it = matched.iterator(); it.hasNext(); ) {
            out.writeBytes(it.next().json());
            if (it.hasNext()) {
                out.write(',');
            }
        }
        out.writeBytes(("],\"last_seq\":" + Math.max(lastSeq, since) + "}").getBytes());
        Responses.json(res, Status.OK_200, out.toByteArray());
    }

    /**
     * Counts {@code events} against the publisher's rate: its token, or its address while security is off (the
     * events an acknowledgement or a clear writes count too: {@link AlarmsApi}).
     */
    void limit(ServerRequest req, Identity identity, int events) {
        if (rateLimits.isPresent()) {
            String publisher = identity == Identity.ANONYMOUS ? "address " + req.remotePeer().host()
                    : identity.subject();
            rateLimits.get().take(publisher, events);
        }
    }

    private static void accepted(ServerResponse res, Ingest.Result result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accepted", result.accepted());
        body.put("duplicates", result.duplicates());
        body.put("seq", result.seqs());
        Responses.json(res, Status.ACCEPTED_202, body);
    }

    private void enter() {
        try {
            gate.enter();
        } catch (IngestGate.RefusedException e) {
            throw ApiException.refused(e);
        }
    }

    static void requireJson(ServerRequest req) {
        Optional<HttpMediaType> type = req.headers().contentType();
        boolean json = type.map(HttpMediaType::mediaType)
                .map(MediaType::subtype)
                .filter(s -> s.equals("json") || s.endsWith("+json"))
                .isPresent()
                && type.get().mediaType().type().equals("application");
        if (!json) {
            throw new ApiException(Status.UNSUPPORTED_MEDIA_TYPE_415, "unsupported_media_type",
                                   "the body must be JSON: send Content-Type: application/json");
        }
    }

    static long longParam(String value, String name, long defaultValue, long min, long max) {
        if (value == null || value.isEmpty()) {
            return defaultValue;
        }
        try {
            long v = Long.parseLong(value);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiException.badRequest(name, name + " must be a whole number from " + min + " to " + max);
    }

    static List<SubscriptionPattern> patterns(List<String> values, String name, boolean topic) {
        List<SubscriptionPattern> out = new ArrayList<>();
        for (String value : values) {
            for (String part : value.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                try {
                    out.add(topic ? SubscriptionPattern.topic(part.trim()) : SubscriptionPattern.event(part.trim()));
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest(name, e.getMessage());
                }
            }
        }
        return out;
    }

    static boolean anyMatches(List<SubscriptionPattern> patterns, List<String> values) {
        for (SubscriptionPattern p : patterns) {
            if (p.matchesAny(values)) {
                return true;
            }
        }
        return false;
    }
}
