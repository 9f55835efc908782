package io.alerthub.websocket;

import java.nio.file.Path;
import java.util.Set;

import io.alerthub.core.testing.OpenApiCheck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WebSocket plugin's routes ({@code /ws}, OpenSPC's {@code /ws/samples}) are in {@code GET /openapi}. */
class OpenApiRoutesTest {

    @Test
    void theWebSocketRoutesAreDescribed(@TempDir Path dir) {
        try (TestHub hub = TestHub.start(dir, "openspc: { enabled: true }")) {
            OpenApiCheck.assertDescribes(hub.core(), Set.of("plugins.websocket.openspc.enabled"));
        }
    }
}
