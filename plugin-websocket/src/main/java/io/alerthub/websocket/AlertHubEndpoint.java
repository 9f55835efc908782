package io.alerthub.websocket;

import java.util.List;
import java.util.OptionalLong;

import io.alerthub.spi.Identity;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code /ws}: the AlertHub dialect (PROTOCOL section 3). */
final class AlertHubEndpoint extends Endpoint<AlertHubEndpoint.Admission> {

    /**
     * What the upgrade asked for.
     *
     * @param subscription the subscription given as query parameters (possibly empty)
     * @param since        {@code ?since=}, when given
     */
    record Admission(Subscription subscription, OptionalLong since, java.time.Instant expiresAt) {
    }

    AlertHubEndpoint(WebSocketSettings settings, Upgrades upgrades, Connections connections, Router router) {
        super(settings, upgrades, connections, router);
    }

    @Override
    Admission admit(HttpPrologue prologue, Headers headers, Object upgrade) throws WsUpgradeException {
        upgrades.checkOrigin(prologue, headers);
        Identity identity = upgrades.authenticate(prologue, headers);
        var query = prologue.query();
        Subscription subscription;
        try {
            subscription = SubscriptionRequest.fromQuery(query.all("characteristic_ids", List::of),
                                                         query.all("topics", List::of),
                                                         query.all("events", List::of));
        } catch (ClientError e) {
            throw upgrades.badRequest(prologue, e.getMessage());
        }
        if (subscription.size() > settings.maxSubscriptions()) {
            throw upgrades.badRequest(prologue, tooMany(subscription.size()));
        }
        OptionalLong since = OptionalLong.empty();
        String s = query.first("since").asOptional().orElse(null);
        if (s != null) {
            since = OptionalLong.of(sinceValue(s, prologue));
        }
        upgrades.reserve(prologue, upgrade);
        return new Admission(subscription, since, identity.expiresAt());
    }

    @Override
    Connection open(Object upgrade, WsSession session, Admission admission, boolean compressed) {
        Connection c = connections.openAlertHub(upgrade, session, compressed, admission.subscription(),
                                                admission.since());
        c.expiresAt(admission.expiresAt());
        return c;
    }

    @Override
    void handle(Connection c, JsonNode message) {
        JsonNode type = message.get("type");
        if (type == null || !type.isTextual()) {
            throw new ClientError(ClientError.INVALID_MESSAGE, "a message needs a string field type");
        }
        switch (type.textValue()) {
            case "subscribe" -> change(c, message, true);
            case "unsubscribe" -> change(c, message, false);
            case "ping" -> connections.offer(c, Messages.pong(router.laneSeq()));
            case "pong" -> {
                // only life, counted already
            }
            case "ack" -> c.acknowledge(seqField(message, "seq", 1));
            case "resume" -> {
                if (!c.offerReplay(seqField(message, "since", 0))) {
                    connections.close(c, WsMetrics.CloseReason.SLOW_CONSUMER);
                }
            }
            default -> throw new ClientError(ClientError.UNKNOWN_TYPE, "unknown message type '"
                    + SubscriptionRequest.abbreviate(type.textValue())
                    + "'; a client sends subscribe, unsubscribe, ping, pong, ack or resume");
        }
    }

    @Override
    byte[] error(ClientError e) {
        return Messages.error(e.code(), e.getMessage());
    }

    private void change(Connection c, JsonNode message, boolean subscribe) {
        Subscription delta = SubscriptionRequest.fromMessage(message);
        if (delta.isEmpty()) {
            throw new ClientError(ClientError.INVALID_SUBSCRIPTION, (subscribe ? "subscribe" : "unsubscribe")
                    + " needs characteristic_ids, topics or events");
        }
        change(c, delta, subscribe, size -> tooMany(size) + "; the subscription is unchanged", Messages::subscribed);
    }

    private String tooMany(int size) {
        return "a connection may hold " + settings.maxSubscriptions()
                + " characteristic ids, topic patterns and event patterns together (max-subscriptions); this would be "
                + size;
    }

    private static long seqField(JsonNode message, String field, long min) {
        JsonNode v = message.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min) {
            throw new ClientError(ClientError.INVALID_MESSAGE, message.get("type").textValue() + " needs " + field
                    + ", an integer of at least " + min);
        }
        return v.longValue();
    }

    private long sinceValue(String s, HttpPrologue prologue) throws WsUpgradeException {
        try {
            long since = Long.parseLong(s.trim());
            if (since >= 0) {
                return since;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw upgrades.badRequest(prologue, "since must be a seq, an integer of at least 0, not '"
                + SubscriptionRequest.abbreviate(s) + "'");
    }
}
