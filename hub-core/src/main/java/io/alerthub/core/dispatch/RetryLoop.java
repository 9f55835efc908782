package io.alerthub.core.dispatch;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.alerthub.core.config.DispatchSettings;
import io.alerthub.spi.Backoff;
import io.alerthub.spi.DeliveryException;
import io.alerthub.spi.Health;

/**
 * The hub's one retry: how one delivery is attempted until the channel takes it or the hub gives up on it, with the
 * {@link RetryPolicy} (exponential backoff, full jitter), the {@link CircuitBreaker}, and the channel's own word on
 * its health. Every event lane uses one, and so does every receiver of the notification policy
 * ({@code core/notify}), so that a channel's failures are decided in this one place, as Alertmanager's
 * {@code RetryStage} decides them for every integration.
 *
 * <ul>
 *   <li>{@link DeliveryException.Kind#RETRYABLE}: retried with backoff up to the configured retries, then given up
 *       (counted failed);</li>
 *   <li>{@link DeliveryException.Kind#PERMANENT}: given up at once, with one log line;</li>
 *   <li>{@link DeliveryException.Kind#UNAVAILABLE}: the channel is away; the attempt is repeated (backoff, then the
 *       open breaker's pause, and at least the channel's {@code Retry-After}) until the channel takes it. Nothing is
 *       dropped.</li>
 * </ul>
 *
 * <p>Not thread-safe: one loop belongs to one thread (a lane, a receiver). Its counters may be read from any thread.
 */
public final class RetryLoop {

    private static final System.Logger LOG = System.getLogger(RetryLoop.class.getName());
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** One try at a delivery. */
    @FunctionalInterface
    public interface Attempt {
        void run() throws DeliveryException;
    }

    private final String name;
    private final RetryPolicy retry;
    private final CircuitBreaker breaker;
    private final Supplier<Health> channel;
    private final long stallNanos;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();

    private volatile long deliveringSince;
    /** The channel refused as unavailable while reporting itself not UP: its return is worth watching for. */
    private volatile boolean channelAway;

    /**
     * @param name     who delivers, for log lines ({@code plugin mqtt}, {@code receiver teams})
     * @param settings {@code hub.dispatch}: retries, backoff, breaker, stall timeout
     * @param channel  the channel's own word on its health (a notifier's {@code health()}); must not block
     */
    public RetryLoop(String name, DispatchSettings settings, Supplier<Health> channel) {
        this.name = name;
        this.retry = new RetryPolicy(settings.retries(), new Backoff(settings.baseDelay(), settings.maxDelay()));
        this.breaker = new CircuitBreaker(settings.breakerThreshold(), settings.breakerOpen(), System::nanoTime,
                                          this::breakerChanged);
        this.channel = channel;
        this.stallNanos = settings.stallTimeout().toNanos();
    }

    /**
     * Attempts a delivery until the channel takes it, the loop gives up on it (counted failed), or the thread is
     * interrupted. Every failed attempt goes through the breaker and one backoff.
     *
     * @param what what is delivered, for log lines ({@code event seq 12}, {@code notification n-3f2a})
     * @return {@code true} when delivered, {@code false} when given up
     * @throws InterruptedException when interrupted while waiting (the delivery did not happen)
     */
    public boolean deliver(String what, Attempt attempt) throws InterruptedException {
        int retries = 0;
        int away = 0;
        while (true) {
            awaitBreaker();
            Failure failure = attempt(what, attempt, retries == 0 && away == 0);
            if (failure == null) {
                return true;
            }
            breaker.onFailure(failure.message());
            Duration wait;
            if (failure.kind() == DeliveryException.Kind.PERMANENT) {
                LOG.log(System.Logger.Level.WARNING, name + ": " + what + " failed permanently: " + failure.message());
                wait = null;
            } else if (failure.kind() == DeliveryException.Kind.UNAVAILABLE) {
                // Wake early only for a channel that says it is down and later says it is back; one that claims UP
                // while refusing waits out its backoff and the breaker. The delivery is kept however long it takes.
                channelAway = !channelUp();
                wait = retry.backoff().delay(Math.min(++away, 8));
            } else if (retries >= retry.retries()) {
                if (failure.kind() != null) {
                    LOG.log(System.Logger.Level.WARNING, name + ": " + what + " failed after " + (retries + 1)
                            + " attempts: " + failure.message());
                }
                wait = null;
            } else {
                wait = retry.backoff().delay(++retries);
            }
            if (wait == null) {
                failed.incrementAndGet();
                return false;
            }
            if (failure.retryAfter() != null && failure.retryAfter().compareTo(wait) > 0) {
                wait = failure.retryAfter();
            }
            retried.incrementAndGet();
            pause(wait, failure.retryAfter() != null);
        }
    }

    /** How an attempt failed: the channel's verdict, or a {@code null} kind for a bug (a runtime exception). */
    private record Failure(DeliveryException.Kind kind, String message, Duration retryAfter) {
    }

    /** One try; {@code null} when it went through. */
    private Failure attempt(String what, Attempt attempt, boolean first) {
        deliveringSince = System.nanoTime();
        try {
            attempt.run();
        } catch (DeliveryException x) {
            return new Failure(x.kind(), x.getMessage(), x.retryAfter().orElse(null));
        } catch (RuntimeException x) {
            // A bug in the plugin, not a channel failure: worth its stack trace, once per delivery.
            if (first) {
                LOG.log(System.Logger.Level.WARNING, name + ": delivering " + what + " threw", x);
            }
            return new Failure(null, "plugin error: " + x, null);
        } finally {
            deliveringSince = 0;
        }
        breaker.onSuccess();
        channelAway = false;
        delivered.incrementAndGet();
        return null;
    }

    /** Waits while the breaker is open; a channel that reports itself back earns an early trial. */
    private void awaitBreaker() throws InterruptedException {
        long wait;
        while ((wait = breaker.waitNanos()) > 0) {
            if (channelAway && channelUp()) {
                return;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(wait, POLL_NANOS));
        }
    }

    /**
     * Sleeps a backoff, cut short when a channel that was away reports itself back (never when the channel itself
     * said how long to wait).
     */
    private void pause(Duration backoff, boolean told) throws InterruptedException {
        long until = System.nanoTime() + backoff.toNanos();
        long left;
        while ((left = until - System.nanoTime()) > 0) {
            if (!told && channelAway && channelUp()) {
                return;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, POLL_NANOS));
        }
    }

    private boolean channelUp() {
        try {
            return channel.get().state() == Health.State.UP;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The loop's own view of its channel: paused by its breaker, or stuck in a delivery. */
    public Health health() {
        CircuitBreaker.State state = breaker.state();
        if (state != CircuitBreaker.State.CLOSED) {
            return Health.degraded("circuit " + state.name().toLowerCase().replace('_', '-') + ": "
                                           + breaker.lastFailure());
        }
        long since = deliveringSince;
        if (since != 0 && System.nanoTime() - since > stallNanos) {
            return Health.degraded("a delivery has been running for "
                                           + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since) + " s");
        }
        return Health.up();
    }

    /** How long the attempt on the wire has run; 0 when none is (cluster mode: a lane stuck that long moves). */
    public long busyNanos() {
        long since = deliveringSince;
        return since == 0 ? 0 : System.nanoTime() - since;
    }

    /** Whether an attempt is on the wire now (rather than the loop waiting between attempts, or idle). */
    public boolean attempting() {
        return deliveringSince != 0;
    }

    /** The breaker's state: {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}. */
    public String circuit() {
        return breaker.state().name();
    }

    public long delivered() {
        return delivered.get();
    }

    public long failed() {
        return failed.get();
    }

    public long retried() {
        return retried.get();
    }

    AtomicLong deliveredCounter() {
        return delivered;
    }

    AtomicLong failedCounter() {
        return failed;
    }

    AtomicLong retriedCounter() {
        return retried;
    }

    private void breakerChanged(CircuitBreaker.State from, CircuitBreaker.State to, String lastFailure) {
        switch (to) {
            case OPEN -> LOG.log(System.Logger.Level.WARNING, name + ": circuit open, paused"
                    + (from == CircuitBreaker.State.HALF_OPEN ? " again (trial delivery failed)" : "")
                    + ": " + lastFailure);
            case HALF_OPEN -> LOG.log(System.Logger.Level.INFO, name + ": circuit half-open, trying one delivery");
            case CLOSED -> LOG.log(System.Logger.Level.INFO, name + ": circuit closed, delivering again");
        }
    }
}
