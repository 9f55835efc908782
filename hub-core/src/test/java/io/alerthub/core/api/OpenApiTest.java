package io.alerthub.core.api;

import java.nio.file.Path;
import java.util.Set;

import io.alerthub.core.testing.OpenApiCheck;
import io.alerthub.core.testing.TestHub;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /openapi}: an OpenAPI 3 description (YAML) of every route, kept true against the hub's routes. */
class OpenApiTest {

    @Test
    void describesEveryRouteAndNothingElse(@TempDir Path dir) {
        try (TestHub hub = TestHub.start(dir, "plugins:\n  recorder: { enabled: true }\n")) {
            var yaml = hub.get("/openapi");
            assertEquals(200, yaml.statusCode(), yaml.body());
            assertTrue(yaml.body().startsWith("openapi: 3"), yaml.body());
            OpenApiCheck.assertDescribes(hub, Set.of());
        }
    }
}
