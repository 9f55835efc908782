package io.alerthub.spi;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;

/**
 * A notifier that serves routes on the hub's web server (the WebSocket plugin's {@code /ws}, a
 * dashboard's static files). Called once, before the server starts, and only for enabled plugins.
 *
 * <p>The one place where the SPI hands a plugin Helidon's own types: a route is Helidon's (its request, response,
 * WebSocket session and listener), and wrapping them would hide what a WebSocket endpoint needs (per-connection
 * listeners, upgrade headers, close codes) behind a copy of the same API. A plugin that implements this declares
 * {@code helidon-webserver} and {@code helidon-webserver-websocket} itself, scope {@code provided}: the hub ships
 * them (the SPI's own dependency on them is optional).
 */
public interface RouteContributor {

    /**
     * Add routes. The hub registers its own API first and its JSON 404 fallback after every plugin.
     *
     * @param http HTTP routes
     * @param ws   WebSocket endpoints
     */
    void routing(HttpRouting.Builder http, WsRouting.Builder ws);
}
