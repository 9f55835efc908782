package io.alerthub.websocket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import io.alerthub.spi.Authenticator;
import io.alerthub.spi.Identity;
import io.alerthub.websocket.WsMetrics.Refusal;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.websocket.WsUpgradeException;

import com.fasterxml.jackson.core.JsonGenerator;

/**
 * The checks made at the HTTP upgrade (origin, token, capacity), and the HTTP answer to a refused one.
 *
 * <p>Helidon turns a {@link WsUpgradeException} into a plain HTTP request for the same path, on the same thread
 * and with the same prologue object. The refusal is handed over through a thread-local keyed by that prologue, and
 * the GET route this plugin registers on its paths answers it with the right status and a JSON error (401, 403,
 * 400, or 503 with {@code Retry-After}). A plain GET that never asked to upgrade gets 426.
 */
final class Upgrades {

    private static final System.Logger LOG = System.getLogger(Upgrades.class.getName());
    private static final ThreadLocal<Refused> REFUSED = new ThreadLocal<>();
    private static final int RETRY_AFTER_SECONDS = 5;

    private record Refused(HttpPrologue prologue, Refusal reason, String code, String message) {
    }

    private final WebSocketSettings settings;
    private final Authenticator authenticator;
    private final Connections connections;
    private final WsMetrics metrics;

    Upgrades(WebSocketSettings settings, Authenticator authenticator, Connections connections, WsMetrics metrics) {
        this.settings = settings;
        this.authenticator = authenticator;
        this.connections = connections;
        this.metrics = metrics;
    }

    Authenticator authenticator() {
        return authenticator;
    }

    /** Refuses a browser whose {@code Origin} is not allowed. */
    void checkOrigin(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        String origin = headers.first(HeaderNames.ORIGIN).orElse(null);
        if (!settings.originAllowed(origin)) {
            throw refuse(prologue, Refusal.ORIGIN, "origin_not_allowed",
                         "origin " + SubscriptionRequest.abbreviate(origin) + " may not connect (allowed-origins)");
        }
    }

    /**
     * The identity behind the token ({@code Authorization: Bearer} or {@code ?token=}), which must hold the role
     * {@code subscribe} or {@code admin}.
     */
    Identity authenticate(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        Identity identity;
        try {
            identity = authenticator.authenticate(token(prologue, headers));
        } catch (Authenticator.AuthenticationException e) {
            throw refuse(prologue, Refusal.UNAUTHORIZED, "unauthorized", e.getMessage());
        }
        if (!identity.hasAnyRole(Identity.SUBSCRIBE, Identity.ADMIN)) {
            throw refuse(prologue, Refusal.FORBIDDEN, "forbidden", "this token lacks the role subscribe");
        }
        return identity;
    }

    /** Takes a connection slot for {@code upgrade}, or refuses with 503. */
    void reserve(HttpPrologue prologue, Object upgrade) throws WsUpgradeException {
        if (!connections.reserve(upgrade)) {
            throw refuse(prologue, Refusal.CAPACITY, "too_many_connections",
                         "the hub serves " + settings.maxConnections() + " WebSocket connections already;"
                                 + " try again later");
        }
    }

    /** A refusal for a bad request (a malformed subscription or {@code since} in the query). */
    WsUpgradeException badRequest(HttpPrologue prologue, String message) {
        return refuse(prologue, Refusal.BAD_REQUEST, "invalid_request", message);
    }

    /** The bearer token of the request, from the header or {@code ?token=}; {@code null} when there is none. */
    static String token(HttpPrologue prologue, Headers headers) {
        String header = headers.first(HeaderNames.AUTHORIZATION).orElse(null);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7).trim();
        }
        return prologue.query().first("token").asOptional().orElse(null);
    }

    private WsUpgradeException refuse(HttpPrologue prologue, Refusal reason, String code, String message) {
        metrics.refused(reason);
        LOG.log(System.Logger.Level.DEBUG, () -> "websocket: upgrade to " + prologue.uriPath().path() + " refused ("
                + reason.status + "): " + message);
        REFUSED.set(new Refused(prologue, reason, code, message));
        return new WsUpgradeException(message);
    }

    /** GET on a WebSocket path: the reason of a refused upgrade, or 426 for a client that did not ask to upgrade. */
    void answer(ServerRequest req, ServerResponse res) {
        Refused refused = REFUSED.get();
        REFUSED.remove();
        if (refused != null && refused.prologue() == req.prologue()) {
            if (refused.reason() == Refusal.CAPACITY) {
                res.header(HeaderNames.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
            }
            if (refused.reason() == Refusal.UNAUTHORIZED) {
                res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
            }
            error(res, Status.create(refused.reason().status), refused.code(), refused.message());
            return;
        }
        if (req.headers().first(HeaderNames.UPGRADE).map(u -> u.equalsIgnoreCase("websocket")).orElse(false)) {
            error(res, Status.BAD_REQUEST_400, "bad_handshake",
                  "not a valid WebSocket handshake (Upgrade: websocket, Connection: Upgrade, Sec-WebSocket-Key"
                          + " and Sec-WebSocket-Version: 13 are required)");
            return;
        }
        res.header(HeaderNames.UPGRADE, "websocket");
        error(res, Status.UPGRADE_REQUIRED_426, "upgrade_required",
              req.path().path() + " is a WebSocket endpoint: connect with a WebSocket client");
    }

    static void error(ServerResponse res, Status status, String code, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = Messages.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeStringField("code", code);
            g.writeStringField("message", message);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(out.toByteArray());
    }
}
