package io.alerthub.websocket;

import java.util.Map;

import io.alerthub.spi.Authenticator;
import io.alerthub.spi.Identity;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code /ws/samples}: OpenSPC's flat dialect (PROTOCOL section 3b), for OpenSPC's React dashboard unchanged.
 * Its token is checked after the upgrade, as OpenSPC does: a client without a good one is told why and closed
 * with 4001. Subscriptions are characteristic ids; the routing is the same as on {@code /ws}.
 */
final class OpenSpcEndpoint extends Endpoint<OpenSpcEndpoint.Admission> {

    /**
     * The outcome of the token check.
     *
     * @param refusal the error message for the client, or {@code null} when the token passed
     */
    record Admission(String refusal, java.time.Instant expiresAt) {
    }

    OpenSpcEndpoint(WebSocketSettings settings, Upgrades upgrades, Connections connections, Router router) {
        super(settings, upgrades, connections, router);
    }

    @Override
    Admission admit(HttpPrologue prologue, Headers headers, Object upgrade) throws WsUpgradeException {
        upgrades.checkOrigin(prologue, headers);
        String refusal = null;
        java.time.Instant expiresAt = null;
        try {
            Identity identity = upgrades.authenticator().authenticate(Upgrades.token(prologue, headers));
            if (!identity.hasAnyRole(Identity.SUBSCRIBE, Identity.ADMIN)) {
                refusal = "Invalid or expired token";
            }
            expiresAt = identity.expiresAt();
        } catch (Authenticator.AuthenticationException e) {
            refusal = e.missing() ? "Authentication required" : "Invalid or expired token";
        }
        upgrades.reserve(prologue, upgrade);
        return new Admission(refusal, expiresAt);
    }

    @Override
    Connection open(Object upgrade, WsSession session, Admission admission, boolean compressed) {
        if (admission.refusal() != null) {
            return connections.refuseOpenSpc(upgrade, session, compressed, admission.refusal());
        }
        Connection c = connections.openOpenSpc(upgrade, session, compressed);
        c.expiresAt(admission.expiresAt());
        return c;
    }

    @Override
    void handle(Connection c, JsonNode message) {
        String type = text(message, "type");
        if (type == null) {
            type = text(message, "action");
        }
        if (type == null) {
            throw new ClientError(ClientError.INVALID_MESSAGE, "Message must contain 'type' or 'action' field");
        }
        switch (type) {
            case "subscribe" -> change(c, message, true);
            case "unsubscribe" -> change(c, message, false);
            case "ping" -> connections.offer(c, Messages.openSpcPong());
            default -> throw new ClientError(ClientError.UNKNOWN_TYPE, "Unknown message type: "
                    + SubscriptionRequest.abbreviate(type));
        }
    }

    @Override
    byte[] error(ClientError e) {
        return Messages.openSpcError(e.getMessage());
    }

    private void change(Connection c, JsonNode message, boolean subscribe) {
        JsonNode ids = message.get("characteristic_ids");
        if (ids == null || ids.isNull()) {
            ids = message.get("characteristic_id");
        }
        String verb = subscribe ? "Subscribe" : "Unsubscribe";
        if (ids == null || ids.isNull()) {
            throw new ClientError(ClientError.INVALID_SUBSCRIPTION, verb
                    + " message must contain 'characteristic_ids' or 'characteristic_id' field");
        }
        Map<String, Boolean> named = SubscriptionRequest.characteristicIds(ids, "characteristic_ids");
        String answer = subscribe ? "subscribed" : "unsubscribed";
        change(c, new Subscription(named, Map.of(), Map.of()), subscribe,
               size -> "Too many subscriptions: at most " + settings.maxSubscriptions() + " characteristics per connection",
               next -> Messages.openSpcIds(answer, named));
    }

    /** A non-empty string field, as Python's {@code data.get(name)} would be truthy. */
    private static String text(JsonNode message, String name) {
        JsonNode v = message.get(name);
        return v != null && v.isTextual() && !v.textValue().isEmpty() ? v.textValue() : null;
    }
}
