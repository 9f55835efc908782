package io.alerthub.core.server;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;

import io.alerthub.core.testing.HubClient;
import io.alerthub.core.testing.TestHub;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code server.cors.allowed-origins} through Helidon's CORS support, and the security headers on every answer. */
class BrowserPolicyTest {

    private static final String ALLOWED = "https://dashboards.plant.example";

    private static HttpResponse<String> preflight(TestHub hub, String origin) {
        return HubClient.send(hub.request("/api/v1/events")
                                      .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                                      .header("Origin", origin)
                                      .header("Access-Control-Request-Method", "POST")
                                      .header("Access-Control-Request-Headers", "content-type")
                                      .build());
    }

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredAndOthersGetNoCorsHeaders(@TempDir Path dir) {
        try (TestHub hub = TestHub.start(dir, "cors: { allowed-origins: [\"" + ALLOWED + "\"] }", "", "")) {
            HttpResponse<String> ok = preflight(hub, ALLOWED);
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals(Optional.of(ALLOWED), ok.headers().firstValue("Access-Control-Allow-Origin"));
            assertTrue(String.join(",", ok.headers().allValues("Access-Control-Allow-Methods")).contains("POST"),
                       ok.headers().map().toString());

            HttpResponse<String> other = preflight(hub, "https://evil.example");
            assertEquals(Optional.empty(), other.headers().firstValue("Access-Control-Allow-Origin"));

            HttpResponse<String> get = HubClient.send(hub.request("/api/v1/plugins").header("Origin", ALLOWED).build());
            assertEquals(Optional.of(ALLOWED), get.headers().firstValue("Access-Control-Allow-Origin"));
        }
    }

    @Test
    void withoutAllowedOriginsThereAreNoCorsHeadersAtAll(@TempDir Path dir) {
        try (TestHub hub = TestHub.start(dir, "")) {
            HttpResponse<String> r = preflight(hub, ALLOWED);
            assertEquals(Optional.empty(), r.headers().firstValue("Access-Control-Allow-Origin"));
            HttpResponse<String> get = HubClient.send(hub.request("/api/v1/plugins").header("Origin", ALLOWED).build());
            assertEquals(Optional.empty(), get.headers().firstValue("Access-Control-Allow-Origin"));
        }
    }

    @Test
    void securityHeadersOnEveryAnswer(@TempDir Path dir) {
        try (TestHub hub = TestHub.start(dir, "")) {
            for (String path : new String[] {"/api/v1/plugins", "/no/such/page", "/observe/health"}) {
                HttpResponse<String> r = hub.get(path);
                assertEquals(Optional.of("nosniff"), r.headers().firstValue("X-Content-Type-Options"), path);
                assertEquals(Optional.of("no-referrer"), r.headers().firstValue("Referrer-Policy"), path);
                assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"),
                           path);
            }
        }
    }
}
