package io.alerthub.core.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.alerthub.core.testing.HubClient;
import io.alerthub.core.testing.TestHub;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code security.rate-limits}: a token bucket per token counting events; 429 with Retry-After past it. */
class RateLimitTest {

    private static final String A = "publisher-a-0123456789";
    private static final String B = "publisher-b-0123456789";

    private static String batch(int n) {
        return HubClient.batch(Collections.nCopies(n, "{\"type\":\"sample\",\"payload\":{}}"));
    }

    @Test
    void aTokenOverItsRateIsRefusedWhileAnotherPublishesOn(@TempDir Path dir) {
        try (TestHub hub = TestHub.start(dir, """
                security:
                  tokens:
                    - { token: %s, roles: [publish, subscribe] }
                    - { token: %s, roles: [publish] }
                  rate-limits: { events-per-second: 1, burst: 100 }
                """.formatted(A, B))) {
            assertEquals(202, hub.post("/api/v1/events", batch(60), A).statusCode());
            var over = hub.post("/api/v1/events", batch(60), A);
            assertEquals(429, over.statusCode(), "a batch of 60 costs 60: the bucket of 100 holds 40");
            assertTrue(over.body().contains("\"code\":\"rate_limited\""), over.body());
            int retryAfter = Integer.parseInt(over.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 10 && retryAfter <= 21, "20 events at 1/s: " + retryAfter);
            // B has a bucket of its own
            assertEquals(202, hub.post("/api/v1/events", batch(100), B).statusCode());
            assertEquals(202, hub.post("/api/v1/events", batch(30), A).statusCode(), "A's 40 are still there");
            var tooBig = hub.post("/api/v1/events", batch(101), B);
            assertEquals(429, tooBig.statusCode());
            assertTrue(tooBig.body().contains("burst"), tooBig.body());
        }
    }

    @Test
    void perClientAddressWhenSecurityIsOff(@TempDir Path dir) {
        try (TestHub hub = TestHub.start(dir, "security:\n  rate-limits: { events-per-second: 1, burst: 5 }\n")) {
            List<Integer> codes = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                codes.add(hub.post("/api/v1/events", "{\"type\":\"sample\",\"payload\":{}}").statusCode());
            }
            assertEquals(List.of(202, 202, 202, 202, 202), codes.subList(0, 5));
            assertTrue(codes.subList(5, 7).contains(429), codes.toString());
        }
    }
}
