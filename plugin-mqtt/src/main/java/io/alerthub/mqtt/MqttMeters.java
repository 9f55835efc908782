package io.alerthub.mqtt;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.alerthub.spi.Meters;

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
    void register(Meters meters, LongSupplier connected, LongSupplier inflight, LongSupplier held,
                  LongSupplier reconnects) {
        meters.counter("alerthub.mqtt.published", "Messages the broker acknowledged (QoS 1/2) or took (QoS 0)",
                published::get);
        meters.counter("alerthub.mqtt.publish.failures",
                "Messages the broker refused, or events that can never be published", publishFailures::get);
        meters.counter("alerthub.mqtt.republished", "Messages published again on a new connection",
                republished::get);
        meters.counter("alerthub.mqtt.reconnects", "Connections made after the first", reconnects);
        meters.counter("alerthub.mqtt.acks.bridged", "Acknowledgements devices sent over MQTT that the hub took",
                acksBridged::get);
        meters.counter("alerthub.mqtt.acks.rejected", "Acknowledgements over MQTT that were malformed or refused",
                acksRejected::get);
        meters.gauge("alerthub.mqtt.connected", "1 while connected to the broker", connected);
        meters.gauge("alerthub.mqtt.inflight", "Messages sent and not yet acknowledged", inflight);
        meters.gauge("alerthub.mqtt.held", "Events held until the broker acknowledges all their messages", held);
    }
}
