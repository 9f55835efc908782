package io.alerthub.core.notify;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.function.BiConsumer;

import io.alerthub.core.config.DispatchSettings;
import io.alerthub.core.dispatch.RetryLoop;
import io.alerthub.spi.Health;
import io.alerthub.spi.Notification;
import io.alerthub.spi.NotificationSender;
import io.alerthub.spi.Notifier;

/**
 * One receiver's deliveries: a virtual thread that hands its notifications to the channel's sender one at a time,
 * oldest first, through the hub's one {@link RetryLoop} — its own breaker, so a chat webhook that is down does not
 * hold up the mails. A notification waits at the head until the sender took it or refused it for good ("the cursor
 * waits"); then it is settled.
 */
final class ReceiverDelivery {

    private final String receiver;
    private final String channel;
    private final String address;
    private final Notifier notifier;
    private final NotificationSender sender;
    private final RetryLoop loop;
    private final BiConsumer<Outgoing, Boolean> settled;
    private final LinkedBlockingDeque<Outgoing> queue = new LinkedBlockingDeque<>();
    private volatile Outgoing inHand;
    private volatile boolean stopping;
    private Thread thread;

    /**
     * @param settled told about each notification once the sender took it ({@code true}) or the hub gave up on it
     */
    ReceiverDelivery(String receiver, String channel, String address, Notifier notifier, DispatchSettings settings,
                     BiConsumer<Outgoing, Boolean> settled) {
        this.receiver = receiver;
        this.channel = channel;
        this.address = address;
        this.notifier = notifier;
        this.sender = (NotificationSender) notifier;
        this.loop = new RetryLoop("receiver " + receiver + " (" + channel + ")", settings, this::channelHealth);
        this.settled = settled;
    }

    String receiver() {
        return receiver;
    }

    String channel() {
        return channel;
    }

    RetryLoop loop() {
        return loop;
    }

    void offer(Outgoing o) {
        queue.addLast(o);
    }

    void start() {
        thread = Thread.ofVirtual().name("notify-" + receiver).start(this::run);
    }

    private void run() {
        while (!stopping) {
            Outgoing o;
            try {
                o = queue.takeFirst();
            } catch (InterruptedException e) {
                return;
            }
            inHand = o;
            Notification n = o.toNotification(address);
            boolean delivered;
            try {
                delivered = loop.deliver("notification " + o.id() + " (" + o.kind().name().toLowerCase()
                                                 + ", " + o.count() + ")", () -> sender.send(n));
            } catch (InterruptedException e) {
                // stopping: it stays in the outbox and goes after the restart
                return;
            } finally {
                inHand = null;
            }
            settled.accept(o, delivered);
        }
    }

    /** Notifications waiting, the one in hand included. */
    int waiting() {
        return queue.size() + (inHand == null ? 0 : 1);
    }

    private Health channelHealth() {
        return notifier.health();
    }

    /**
     * Stops after the attempt on the wire, waiting at most {@code grace} for it; a notification still not taken then,
     * or one waiting for its next attempt, stays in the outbox and goes after the restart.
     */
    void stop(Duration grace) {
        stopping = true;
        if (thread == null) {
            return;
        }
        try {
            // an attempt on the wire may finish (the channel took it, or not); a wait between attempts may not
            long deadline = System.nanoTime() + grace.toNanos();
            while (loop.attempting() && System.nanoTime() < deadline && !thread.join(Duration.ofMillis(50))) {
                Thread.onSpinWait();
            }
            thread.interrupt();
            thread.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
