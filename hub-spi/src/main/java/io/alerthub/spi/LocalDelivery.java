package io.alerthub.spi;

/**
 * A notifier whose deliveries reach only what is attached to this hub instance (the WebSocket plugin's connected
 * clients). In cluster mode (several hubs sharing one event stream) every instance runs such a plugin's lane, so
 * each instance's clients get every event.
 *
 * <p>A notifier without this marker is taken to have side effects outside the hub (a broker publish, a mail, a
 * webhook call): in cluster mode its lane runs on one instance at a time, so each event is delivered once per
 * cluster, not once per instance. That is the default because it is the safe one: a local plugin wrongly left
 * unmarked only delivers on fewer instances, while a side effect wrongly marked local would repeat on every one.
 * In a single hub the marker changes nothing.
 */
public interface LocalDelivery {
}
