package io.alerthub.core.api;


import io.alerthub.core.testing.SharedHub;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

    @RegisterExtension
    static final SharedHub SHARED = SharedHub.of("", "", """
            security:
              tokens:
                - { token: %s, roles: [admin] }
                - { token: %s, roles: [publish] }
            plugins:
              recorder: { enabled: true }
            """.formatted(ADMIN, PUBLISH));

    @Test
    void withoutATokenOnlyTheStatus() {
        for (String path : new String[] {"/observe/health", "/observe/health/ready", "/observe/health/live"}) {
            var r = SHARED.hub().get(path, null);
            assertEquals(200, r.statusCode(), path);
            assertEquals("{\"status\":\"UP\"}", r.body(), path);
        }
        var other = SHARED.hub().get("/observe/health", PUBLISH);
        assertEquals("{\"status\":\"UP\"}", other.body(), "a token without the admin role sees the status only");
        var wrong = SHARED.hub().get("/observe/health", "not-a-token-at-all-xx");
        assertFalse(wrong.body().contains("checks"), wrong.body());
    }

    @Test
    void anAdminSeesEveryCheckAndItsDetails() {
        var r = SHARED.hub().get("/observe/health", ADMIN);
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("plugin-recorder"), r.body());
        assertTrue(r.body().contains("head_seq"), r.body());
    }
}
