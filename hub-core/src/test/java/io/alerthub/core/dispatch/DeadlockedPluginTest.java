package io.alerthub.core.dispatch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.alerthub.core.testing.FaultyProvider;
import io.alerthub.core.testing.TestHub;
import io.alerthub.spi.Health;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plugin that deadlocks (its delivery and its close block, deaf to interrupts) is reported, delays no other plugin,
 * and does not hold the hub's stop beyond {@code hub.shutdown-timeout} (and a short bound for its close).
 */
class DeadlockedPluginTest {

    @TempDir
    Path dir;

    @AfterEach
    void release() {
        FaultyProvider.release();
    }

    @Test
    void isReportedAndDoesNotBlockShutdownBeyondItsBound() {
        TestHub hub = TestHub.start(dir, "shutdown-timeout: PT1S\ndispatch: { stall-timeout: PT0.3S }", """
                plugins:
                  recorder: { enabled: true }
                  faulty: { enabled: true, behaviour: deadlock }
                """);
        hub.publish("{\"type\":\"sample\",\"payload\":{}}");
        await().atMost(Duration.ofSeconds(15)).until(() -> hub.pluginStatus("faulty").state() == Health.State.DEGRADED);
        assertTrue(hub.pluginStatus("faulty").reason().contains("running for"), hub.pluginStatus("faulty").reason());
        await().atMost(Duration.ofSeconds(15)).until(() -> hub.recorded().size() == 1);
        assertEquals(Health.State.UP, hub.pluginStatus("recorder").state());

        long started = System.nanoTime();
        CompletableFuture<Void> stop = CompletableFuture.runAsync(hub::close);
        // 1 s to drain, then at least 2 s for the close: well under 15 s
        await().atMost(Duration.ofSeconds(15)).until(stop::isDone);
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 15);
    }
}
