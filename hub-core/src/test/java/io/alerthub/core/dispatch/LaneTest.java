package io.alerthub.core.dispatch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;

import io.alerthub.core.testing.FaultyProvider;
import io.alerthub.core.testing.TestHub;
import io.alerthub.spi.Event;
import io.alerthub.spi.Health;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lanes through a running hub: isolation, retries, backoff, the breaker, graceful stop, restart. */
class LaneTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;
    private TestHub hub;

    @AfterEach
    void stop() {
        FaultyProvider.release();
        if (hub != null) {
            hub.close();
        }
    }

    private TestHub start(String faulty, String dispatch) {
        hub = TestHub.start(dir, "dispatch: " + dispatch, """
                plugins:
                  recorder: { enabled: true }
                  faulty: %s
                """.formatted(faulty));
        return hub;
    }

    private List<Long> publish(int n) {
        StringBuilder b = new StringBuilder("{\"events\":[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"type\":\"sample\",\"payload\":{\"i\":").append(i).append("}}");
        }
        return hub.publish(b.append("]}").toString());
    }

    private PluginStatus status(String name) {
        return hub.hub().plugins().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    private FaultyProvider.Faulty faulty() {
        return FaultyProvider.instance(dir);
    }

    @Test
    void aHangingPluginDelaysNoOtherPlugin() {
        start("{ enabled: true, behaviour: hang }", "{ stall-timeout: PT0.3S }");
        List<Long> seqs = publish(50);
        await().atMost(WAIT).untilAsserted(() -> assertEquals(50, hub.recorded().size(), hub.hub().plugins().toString()));
        assertEquals(seqs, hub.recorded().stream().map(Event::seq).toList(), "in order");
        await().atMost(WAIT).until(() -> status("faulty").state() == Health.State.DEGRADED);
        assertTrue(status("faulty").reason().contains("running for"), status("faulty").reason());
        assertEquals(50, status("faulty").lag());
        assertEquals(Health.State.UP, status("recorder").state());
        FaultyProvider.release();
        await().atMost(WAIT).until(() -> faulty().delivered().size() == 50);
        await().atMost(WAIT).until(() -> status("faulty").state() == Health.State.UP && status("faulty").lag() == 0);
    }

    @Test
    void aThrowingPluginIsRetriedThenCountedFailedAndOthersGoOn() {
        start("{ enabled: true, behaviour: throw }", "{ retries: 2, base-delay: PT0.01S, max-delay: PT0.02S, breaker-threshold: 1000 }");
        publish(5);
        await().atMost(WAIT).until(() -> hub.recorded().size() == 5);
        await().atMost(WAIT).until(() -> status("faulty").failed() == 5);
        assertEquals(15, faulty().attempts(), "1 attempt + 2 retries per event");
        assertEquals(10, status("faulty").retried());
        assertEquals(0, status("faulty").delivered());
        assertEquals(5, status("faulty").cursor(), "the lane moved on");
    }

    @Test
    void aSlowPluginOnlyFallsBehind() {
        start("{ enabled: true, behaviour: slow, delay: PT0.05S }", "{}");
        publish(40);
        await().atMost(WAIT).until(() -> hub.recorded().size() == 40);
        assertTrue(status("faulty").lag() > 0, "the slow plugin is behind while the recorder is done");
        await().atMost(WAIT).until(() -> status("faulty").delivered() == 40);
    }

    @Test
    void retryableFailuresAreRetriedWithBoundedBackoff() {
        start("{ enabled: true, behaviour: retryable, fail-times: 3 }",
              "{ retries: 3, base-delay: PT0.05S, max-delay: PT0.1S, breaker-threshold: 1000 }");
        publish(1);
        await().atMost(WAIT).until(() -> faulty().delivered().size() == 1);
        assertEquals(4, faulty().attempts());
        assertEquals(3, status("faulty").retried());
        assertEquals(0, status("faulty").failed());
        List<Long> at = faulty().attemptNanos();
        long[] ceilingsMillis = {50, 100, 100};
        for (int i = 1; i < at.size(); i++) {
            long gapMillis = (at.get(i) - at.get(i - 1)) / 1_000_000;
            // full jitter: anywhere in [0, ceiling]; allow scheduling slack on a busy machine
            assertTrue(gapMillis <= ceilingsMillis[i - 1] + 250, "retry " + i + " waited " + gapMillis + " ms");
        }
    }

    @Test
    void retriesRunOutThenTheEventIsFailedAndTheNextOneGoes() {
        start("{ enabled: true, behaviour: retryable, fail-times: 4 }",
              "{ retries: 3, base-delay: PT0.01S, max-delay: PT0.01S, breaker-threshold: 1000 }");
        List<Long> seqs = publish(2);
        await().atMost(WAIT).until(() -> faulty().delivered().size() == 1);
        assertEquals(1, status("faulty").failed());
        assertEquals(seqs.get(1), faulty().delivered().getFirst().seq());
    }

    @Test
    void aPermanentFailureIsNotRetried() {
        start("{ enabled: true, behaviour: permanent, fail-times: 1 }", "{ retries: 3, base-delay: PT0.01S }");
        publish(2);
        await().atMost(WAIT).until(() -> faulty().delivered().size() == 1);
        assertEquals(2, faulty().attempts());
        assertEquals(1, status("faulty").failed());
        assertEquals(0, status("faulty").retried());
    }

    @Test
    void anUnavailableChannelLosesNothingAndTheBreakerOpensAndCloses() {
        start("{ enabled: true, behaviour: unavailable, fail-times: 6 }",
              "{ retries: 1, base-delay: PT0.01S, max-delay: PT0.02S, breaker-threshold: 3, breaker-open: PT0.3S }");
        List<Long> seqs = publish(5);
        await().atMost(WAIT).until(() -> "OPEN".equals(status("faulty").circuit()));
        assertEquals(Health.State.DEGRADED, status("faulty").state());
        assertTrue(status("faulty").reason().contains("circuit open"), status("faulty").reason());
        await().atMost(WAIT).until(() -> faulty().delivered().size() == 5);
        assertEquals(seqs, faulty().delivered().stream().map(Event::seq).toList(), "every event, in order");
        assertEquals(0, status("faulty").failed(), "an unavailable channel never fails an event");
        await().atMost(WAIT).until(() -> "CLOSED".equals(status("faulty").circuit()));
        assertEquals(Health.State.UP, status("faulty").state());
    }

    @Test
    void aGracefulStopDeliversEverythingAcceptedAndARestartGoesOnWithoutRepeats() {
        start("{ enabled: true, behaviour: slow, delay: PT0.02S }", "{}");
        List<Long> first = publish(30);
        hub.close();
        assertEquals(first, faulty().delivered().stream().map(Event::seq).toList(),
                     "the stop waited for the slow plugin to reach the head");
        hub = null;
        start("{ enabled: true, behaviour: ok }", "{}");
        List<Long> second = publish(5);
        await().atMost(WAIT).until(() -> faulty().delivered().size() == 5);
        assertEquals(second, faulty().delivered().stream().map(Event::seq).toList(), "nothing delivered twice");
        await().atMost(WAIT).until(() -> hub.recorded().size() == 35);
        assertEquals(LongStream.rangeClosed(1, 35).boxed().toList(), hub.recorded().stream().map(Event::seq).toList(),
                     "the recorder went on from its cursor across the restart");
    }

    @Test
    void whileStoppingNewEventsAreRefusedWith503AndRetryAfter() throws InterruptedException {
        start("{ enabled: true, behaviour: hang }", "{}");
        publish(1);
        await().atMost(WAIT).until(() -> faulty().attempts() == 1);
        Thread stopping = Thread.ofVirtual().start(hub.hub()::close);
        await().atMost(WAIT).untilAsserted(() -> {
            var r = hub.post("/api/v1/events", "{\"type\":\"sample\",\"payload\":{}}");
            assertEquals(503, r.statusCode(), r.body());
            assertTrue(r.body().contains("shutting_down"), r.body());
            assertTrue(r.headers().firstValue("Retry-After").isPresent());
        });
        FaultyProvider.release();
        stopping.join(WAIT);
        assertEquals(1, faulty().delivered().size(), "the stop waited for the event in hand");
        hub = null;
    }

    @Test
    void aChannelThatReportsItselfBackIsTriedAtOnce() {
        start("{ enabled: true, behaviour: unavailable, fail-times: 1 }",
              "{ base-delay: PT30S, max-delay: PT30S, breaker-threshold: 1000 }");
        faulty().health(Health.down("broker away"));
        publish(1);
        await().atMost(WAIT).until(() -> faulty().attempts() >= 1);
        long t0 = System.nanoTime();
        faulty().health(Health.up());
        await().atMost(WAIT).until(() -> faulty().delivered().size() == 1);
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos(), "did not wait out a 30 s backoff");
    }
}
