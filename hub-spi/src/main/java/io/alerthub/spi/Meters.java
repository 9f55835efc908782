package io.alerthub.spi;

import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The hub's meters, served at {@code /observe/metrics} (Prometheus text). A plugin registers functions the hub
 * reads when it is scraped; it keeps its own counts (an {@link java.util.concurrent.atomic.AtomicLong}, a
 * {@link java.util.concurrent.atomic.LongAdder}) and never blocks in them.
 *
 * <p>Name a plugin's meters {@code alerthub.<plugin>.*} ({@code alerthub.mqtt.published}); the hub removes every
 * {@code alerthub.} meter when it stops. Registering the same name and tags twice keeps the first.
 */
public interface Meters {

    /**
     * A monotonic count.
     *
     * @param tags dimensions ({@code reason -> slow_consumer}); empty for none
     */
    void counter(String name, String description, Map<String, String> tags, LongSupplier value);

    /**
     * A value that goes up and down.
     *
     * @param tags dimensions; empty for none
     */
    void gauge(String name, String description, Map<String, String> tags, DoubleSupplier value);

    default void counter(String name, String description, LongSupplier value) {
        counter(name, description, Map.of(), value);
    }

    default void gauge(String name, String description, LongSupplier value) {
        gauge(name, description, Map.of(), () -> (double) value.getAsLong());
    }
}
