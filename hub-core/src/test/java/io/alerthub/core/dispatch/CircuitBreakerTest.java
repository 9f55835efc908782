package io.alerthub.core.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static io.alerthub.core.dispatch.CircuitBreaker.State.CLOSED;
import static io.alerthub.core.dispatch.CircuitBreaker.State.HALF_OPEN;
import static io.alerthub.core.dispatch.CircuitBreaker.State.OPEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CircuitBreakerTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final List<String> transitions = new ArrayList<>();
    private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofNanos(500), now::get,
                                                              (from, to, why) -> transitions.add(from + ">" + to));

    @Test
    void opensAfterTheThresholdTriesOnceWhenHalfOpenAndClosesOnSuccess() {
        breaker.onFailure("a");
        breaker.onFailure("b");
        assertEquals(CLOSED, breaker.state(), "below the threshold");
        breaker.onSuccess();
        breaker.onFailure("c");
        breaker.onFailure("d");
        assertEquals(CLOSED, breaker.state(), "a success resets the count");
        breaker.onFailure("e");
        assertEquals(OPEN, breaker.state());
        assertEquals("e", breaker.lastFailure());
        assertEquals(500, breaker.waitNanos());

        now.addAndGet(200);
        assertEquals(300, breaker.waitNanos(), "still open");
        now.addAndGet(300);
        assertEquals(0, breaker.waitNanos());
        assertEquals(HALF_OPEN, breaker.state());

        breaker.onFailure("trial failed");
        assertEquals(OPEN, breaker.state(), "one failure in half-open opens it again");
        now.addAndGet(500);
        assertEquals(0, breaker.waitNanos());
        assertEquals(HALF_OPEN, breaker.state());
        breaker.onSuccess();
        assertEquals(CLOSED, breaker.state());
        assertEquals(List.of("CLOSED>OPEN", "OPEN>HALF_OPEN", "HALF_OPEN>OPEN", "OPEN>HALF_OPEN", "HALF_OPEN>CLOSED"),
                     transitions);
    }
}
