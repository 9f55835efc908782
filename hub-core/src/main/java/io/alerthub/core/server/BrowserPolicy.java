package io.alerthub.core.server;

import java.util.List;
import java.util.Set;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.cors.CorsFeature;
import io.helidon.webserver.cors.CorsPathConfig;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * What a browser is told: CORS for {@code server.cors.allowed-origins} (Helidon's CORS support: a preflight from an
 * allowed origin gets {@code Access-Control-Allow-Origin} echoing it, any other origin no CORS headers; with none
 * configured there is no CORS at all), and on every answer {@code X-Content-Type-Options: nosniff} and
 * {@code Referrer-Policy: no-referrer}, plus a {@code Content-Security-Policy} that the dashboard itself satisfies
 * (scripts and styles from the hub only, no inline script, connections to the hub and its WebSocket).
 */
public final class BrowserPolicy {

    /** The dashboard's scripts are files ({@code app.js}...), its charts draw on canvases, its styles are a file. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none';"
            + " frame-ancestors 'none'; form-action 'self'";

    private BrowserPolicy() {
    }

    /** Helidon's CORS feature for these origins, or none when the list is empty. */
    public static java.util.Optional<CorsFeature> cors(List<String> origins) {
        if (origins.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(CorsFeature.builder()
                                             .enabled(true)
                                             .addDefaults(false)
                                             .addPath(CorsPathConfig.builder()
                                                              .pathPattern("/*")
                                                              .allowOrigins(Set.copyOf(origins))
                                                              .allowMethods(Set.of("GET", "POST", "DELETE"))
                                                              .allowHeaders(Set.of("Authorization", "Content-Type"))
                                                              .exposeHeaders(Set.of("Retry-After"))
                                                              .build())
                                             .build());
    }

    /** A route filter: the security headers on every answer. */
    public static void headers(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        res.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
        res.header(HeaderNames.create("Content-Security-Policy"), CONTENT_SECURITY_POLICY);
        chain.proceed();
    }
}
