package io.alerthub.core;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A plugin's meter functions outlive a garbage collection: Helidon's registry holds them only weakly. */
class HubMetersTest {

    private final MeterRegistry registry = Metrics.globalRegistry();

    @AfterEach
    void removeMeters() {
        for (Meter m : registry.meters()) {
            if (m.id().name().startsWith("alerthub.test.")) {
                registry.remove(m);
            }
        }
    }

    @Test
    void methodReferencesGivenAsMetersStillCountAfterACollection() {
        AtomicLong count = new AtomicLong(7);
        HubMeters meters = new HubMeters(registry);
        meters.counter("alerthub.test.count", "a count", Map.of("reason", "x"), count::get);
        meters.gauge("alerthub.test.gauge", "a gauge", count::get);
        collectGarbage();
        count.set(9);
        assertEquals(9, counter("alerthub.test.count").count());
        assertEquals(9.0, gauge("alerthub.test.gauge").value());
    }

    /** Runs collections until an object nobody references is gone: what the registry held weakly would be too. */
    private static void collectGarbage() {
        WeakReference<Object> probe = new WeakReference<>(new Object());
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return probe.get() == null;
        });
    }

    private FunctionalCounter counter(String name) {
        return (FunctionalCounter) registry.meters().stream().filter(m -> m.id().name().equals(name)).findFirst()
                .orElseThrow();
    }

    private Gauge<?> gauge(String name) {
        return (Gauge<?>) registry.meters().stream().filter(m -> m.id().name().equals(name)).findFirst().orElseThrow();
    }
}
