package io.alerthub.spi;

/**
 * A human channel (email, a chat webhook): a {@link Notifier} that also implements this is fed notifications by the
 * hub's notification policy instead of events by a lane. The policy decides which events go to whom, groups them
 * into digests, applies rate limits, silences, inhibition and escalations, and retries with the hub's one backoff
 * and circuit breaker (per receiver); the sender renders and sends one notification and says how that went.
 *
 * <p>A sender gets no events: {@link Notifier#deliver(Event)} is never called on it. It has no routing, grouping,
 * rate-limit, reminder or retry code of its own.
 */
public interface NotificationSender {

    /**
     * Where a receiver's address is written: {@code key: <address>} itself ({@code email: [a@plant.example]},
     * {@code webhook: teams}), or one field of a section {@code key: { field: <address> }}
     * ({@code email: { to: [..] }}). Read the address with {@code node} and {@code name}, and name them in errors.
     *
     * @param node the section that holds the address
     * @param name its key there
     */
    record AddressField(ConfigNode node, String name) {

        /** The address of {@code key} in {@code receiver}: the value itself, or {@code field} of its section. */
        public static AddressField of(ConfigNode receiver, String key, String field) {
            ConfigNode section = receiver.child(key);
            return section.keys().isEmpty() ? new AddressField(receiver, key) : new AddressField(section, field);
        }
    }

    /**
     * Reads one receiver's address on this channel, at start, and checks it: {@code key} of {@code receiver} is
     * either a single value or list ({@code webhook: teams}, {@code email: [a@plant.example]}) or a section
     * ({@code email: { to: [a@plant.example] }}). Fail with {@link ConfigNode#error(String, String)}, naming the key.
     *
     * @param receiver the section that holds the address ({@code notify.receivers.quality})
     * @param key      the address's key in it (the plugin's name, {@code email})
     * @return the address as the sender wants it back in {@link Notification#address()}
     */
    String address(ConfigNode receiver, String key);

    /**
     * Renders and sends one notification. Return when the channel has taken it; throw {@link DeliveryException} to
     * say how it failed, and never retry inside:
     * <ul>
     *   <li>{@link DeliveryException#unavailable} — the channel is away or overloaded (server down, a 5xx, a
     *       timeout; a {@code Retry-After} goes in {@link DeliveryException#unavailable(String, java.time.Duration)}):
     *       the hub keeps the notification and tries again for as long as it takes;</li>
     *   <li>{@link DeliveryException#retryable} — this attempt failed, another may work: retried a few times
     *       ({@code hub.dispatch.retries}), then counted failed;</li>
     *   <li>{@link DeliveryException#permanent} — it can never be sent (refused as bad): counted failed at once, and
     *       logged once by the hub with the message (say what the channel answered).</li>
     * </ul>
     * Called on the receiver's own thread, one notification at a time per receiver; different receivers may call it
     * at the same time.
     */
    void send(Notification notification) throws DeliveryException;
}
