package io.alerthub.spi;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;

/**
 * A notifier that serves routes on the hub's web server (the WebSocket plugin's {@code /ws}, a
 * dashboard's static files). Called once, before the server starts, and only for enabled plugins.
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
