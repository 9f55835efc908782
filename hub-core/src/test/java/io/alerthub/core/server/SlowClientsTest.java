package io.alerthub.core.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.alerthub.core.testing.RawHttp;
import io.alerthub.core.testing.SharedHub;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that send slowly hold a connection each for a bounded time, never the hub: headers within
 * {@code server.header-timeout} of their first byte, a published body within {@code server.body-timeout}, and a
 * connection that sends nothing is closed after {@code server.idle-timeout}.
 */
class SlowClientsTest {

    private static final String EVENT = "{\"type\":\"sample\",\"payload\":{\"n\":1}}";

    @RegisterExtension
    static final SharedHub SHARED = SharedHub.of("header-timeout: PT1S\nbody-timeout: PT2S", "max-inflight: 8", "");

    @Test
    void aSlowlorisClientIsCutAfterTheHeaderTimeout() {
        try (RawHttp c = RawHttp.connect(SHARED.hub().port(), Duration.ofSeconds(20))) {
            c.send("GET /api/v1/plugins HTTP/1.1\r\nHost: x\r\n");
            // one more header line at every poll, as a slowloris client does, until the hub has cut the connection
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300))
                    .until(() -> !c.trySend("X-Slow: 1\r\n"));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> SHARED.hub().hub().connectionsCut("headers") >= 1);
    }

    @Test
    void slowBodiesNeitherBlockIngestNorStayForever() {
        List<RawHttp> slow = new ArrayList<>();
        try {
            // more trickling bodies than the gate has places
            for (int i = 0; i < 20; i++) {
                slow.add(RawHttp.connect(SHARED.hub().port(), Duration.ofSeconds(20))
                                 .send("POST /api/v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                               + "Content-Length: 1000\r\n\r\n{\"type\":"));
            }
            for (int i = 0; i < 5; i++) {
                var r = SHARED.hub().post("/api/v1/events", EVENT);
                assertEquals(202, r.statusCode(), "a producer was turned away while slow bodies trickled: " + r.body());
            }
            for (RawHttp c : slow) {
                RawHttp.Transcript t = c.readToEnd();
                assertTrue(t.closed(), "a slow body was never cut: " + t.text());
            }
        } finally {
            slow.forEach(RawHttp::close);
        }
        assertTrue(SHARED.hub().hub().connectionsCut("body") >= 20, "cut: " + SHARED.hub().hub().connectionsCut("body"));
    }
}
