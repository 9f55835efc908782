package io.alerthub.core.api;

import java.nio.file.Path;

import io.alerthub.core.testing.TestHub;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /observe/health} without a token says UP or DOWN and nothing more (a plugin's details can name an SMTP host,
 * a user or a broker URI); with an admin token it has every check and detail.
 */
class HealthAccessTest {

    private static final String ADMIN = "admin-token-0123456789";
    private static final String PUBLISH = "publish-token-0123456789";

    @TempDir
    static Path dir;
    static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start(dir, """
                security:
                  tokens:
                    - { token: %s, roles: [admin] }
                    - { token: %s, roles: [publish] }
                plugins:
                  recorder: { enabled: true }
                """.formatted(ADMIN, PUBLISH));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void withoutATokenOnlyTheStatus() {
        for (String path : new String[] {"/observe/health", "/observe/health/ready", "/observe/health/live"}) {
            var r = hub.get(path, null);
            assertEquals(200, r.statusCode(), path);
            assertEquals("{\"status\":\"UP\"}", r.body(), path);
        }
        var other = hub.get("/observe/health", PUBLISH);
        assertEquals("{\"status\":\"UP\"}", other.body(), "a token without the admin role sees the status only");
        var wrong = hub.get("/observe/health", "not-a-token-at-all-xx");
        assertFalse(wrong.body().contains("checks"), wrong.body());
    }

    @Test
    void anAdminSeesEveryCheckAndItsDetails() {
        var r = hub.get("/observe/health", ADMIN);
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("plugin-recorder"), r.body());
        assertTrue(r.body().contains("head_seq"), r.body());
    }
}
