package io.alerthub.spi;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

    private final Backoff policy = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

    @Test
    void ceilingsDoubleUpToTheCap() {
        assertEquals(Duration.ofSeconds(1), policy.ceiling(1));
        assertEquals(Duration.ofSeconds(2), policy.ceiling(2));
        assertEquals(Duration.ofSeconds(4), policy.ceiling(3));
        assertEquals(Duration.ofSeconds(16), policy.ceiling(5));
        assertEquals(Duration.ofSeconds(30), policy.ceiling(6));
        assertEquals(Duration.ofSeconds(30), policy.ceiling(60), "no overflow however many attempts");
    }

    @Test
    void fullJitterStaysWithinZeroAndTheCeilingAndSpreads() {
        for (int attempt = 1; attempt <= 8; attempt++) {
            long ceiling = policy.ceiling(attempt).toNanos();
            long min = Long.MAX_VALUE;
            long max = 0;
            for (int i = 0; i < 2000; i++) {
                long b = policy.delay(attempt).toNanos();
                assertTrue(b >= 0 && b <= ceiling, "attempt " + attempt + ": " + b);
                min = Math.min(min, b);
                max = Math.max(max, b);
            }
            assertTrue(min < ceiling / 10 && max > ceiling * 9 / 10, "jitter covers the range for attempt " + attempt);
        }
    }

    @Test
    void aBaseOfZeroOrAMaxBelowItIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}
