package io.alerthub.websocket;

import java.util.function.Function;
import java.util.function.IntFunction;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One WebSocket path and its dialect: what it checks at the upgrade, how a connection opens, and how it answers
 * client messages. {@link ConnectionListener} does the rest (sizes, rate, life, close) the same for both.
 *
 * @param <A> what the upgrade check hands to the opening
 */
abstract class Endpoint<A> {

    final WebSocketSettings settings;
    final Upgrades upgrades;
    final Connections connections;
    final Router router;

    Endpoint(WebSocketSettings settings, Upgrades upgrades, Connections connections, Router router) {
        this.settings = settings;
        this.upgrades = upgrades;
        this.connections = connections;
        this.router = router;
    }

    /**
     * Checks the upgrade request and takes a connection slot for {@code upgrade}.
     *
     * @throws WsUpgradeException when refused (the client gets an HTTP error; see {@link Upgrades})
     */
    abstract A admit(HttpPrologue prologue, Headers headers, Object upgrade) throws WsUpgradeException;

    /**
     * Opens the connection once the upgrade went through (on the connection's own thread).
     *
     * @param compressed the client agreed on permessage-deflate
     */
    abstract Connection open(Object upgrade, WsSession session, A admission, boolean compressed);

    /**
     * Answers one client message (a JSON object).
     *
     * @throws ClientError for a message the hub refuses
     */
    abstract void handle(Connection c, JsonNode message);

    /** The error message for a refused client message, in this dialect. */
    abstract byte[] error(ClientError e);

    /**
     * Adds or removes {@code delta}, refusing a subscription beyond {@code max-subscriptions}, and queues the
     * answer before any event the new subscription routes.
     *
     * @param tooMany the error message for a subscription of that size
     * @param answer  the answer, given the new subscription
     */
    void change(Connection c, Subscription delta, boolean subscribe, IntFunction<String> tooMany,
                Function<Subscription, byte[]> answer) {
        Subscription next = subscribe ? c.subscription().plus(delta) : c.subscription().minus(delta);
        if (next.size() > settings.maxSubscriptions()) {
            throw new ClientError(ClientError.TOO_MANY_SUBSCRIPTIONS, tooMany.apply(next.size()));
        }
        router.update(c, next, () -> connections.offer(c, answer.apply(next)));
    }
}
