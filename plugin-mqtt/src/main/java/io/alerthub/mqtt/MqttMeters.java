package io.alerthub.mqtt;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;

/** The plugin's counters, and its meters {@code alerthub.mqtt.*} on the hub's registry. */
final class MqttMeters {

    final AtomicLong published = new AtomicLong();
    final AtomicLong publishFailures = new AtomicLong();
    final AtomicLong republished = new AtomicLong();
    final AtomicLong acksBridged = new AtomicLong();
    final AtomicLong acksRejected = new AtomicLong();

    /**
     * Registers the meters.
     *
     * @param connected  1 while a connection is up, else 0
     * @param inflight   messages sent and not yet acknowledged
     * @param held       events held until the broker acknowledges them
     * @param reconnects connections after the first
     */
    void register(MeterRegistry registry, LongSupplier connected, LongSupplier inflight, LongSupplier held,
                  LongSupplier reconnects) {
        counter(registry, "alerthub.mqtt.published", "Messages the broker acknowledged (QoS 1/2) or took (QoS 0)",
                published::get);
        counter(registry, "alerthub.mqtt.publish.failures",
                "Messages the broker refused, or events that can never be published", publishFailures::get);
        counter(registry, "alerthub.mqtt.republished", "Messages published again on a new connection",
                republished::get);
        counter(registry, "alerthub.mqtt.reconnects", "Connections made after the first", reconnects);
        counter(registry, "alerthub.mqtt.acks.bridged", "Acknowledgements devices sent over MQTT that the hub took",
                acksBridged::get);
        counter(registry, "alerthub.mqtt.acks.rejected", "Acknowledgements over MQTT that were malformed or refused",
                acksRejected::get);
        gauge(registry, "alerthub.mqtt.connected", "1 while connected to the broker", connected);
        gauge(registry, "alerthub.mqtt.inflight", "Messages sent and not yet acknowledged", inflight);
        gauge(registry, "alerthub.mqtt.held", "Events held until the broker acknowledges all their messages", held);
    }

    private static void counter(MeterRegistry registry, String name, String description, LongSupplier value) {
        registry.getOrCreate(FunctionalCounter.builder(name, value, LongSupplier::getAsLong).description(description));
    }

    private static void gauge(MeterRegistry registry, String name, String description, LongSupplier value) {
        registry.getOrCreate(Gauge.builder(name, value, v -> (double) v.getAsLong()).description(description));
    }
}
