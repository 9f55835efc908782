package io.alerthub.core.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import io.alerthub.core.dispatch.Dispatcher;
import io.alerthub.core.dispatch.LaneLease;
import io.alerthub.core.dispatch.LeasedState;
import io.alerthub.core.dispatch.LeasedUnit;
import io.alerthub.core.state.StateFile;
import io.alerthub.spi.Health;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.metrics.api.MeterRegistry;

/**
 * The notification policy in cluster mode: it has side effects (mails, webhook calls, escalation steps), so one
 * instance at a time runs it, under the lease {@code notify}. Its state (cursor, groups, rate windows, escalations,
 * the outbox) goes to the engine beside the lease each time it is saved; the instance that takes the policy over
 * claims that state, puts it where the policy restores from ({@code state.json} of its folder, without a local journal
 * of sent notifications), and makes the policy afresh from it. The other instances stand by; their human channels
 * report so.
 *
 * <p>Duplicates at a takeover: the notifications sent after the last state was saved (it is saved whenever a
 * notification or an escalation step is decided, and every second while the policy reads events), which the new
 * holder finds still in the outbox and sends again.
 */
public final class LeasedNotifications implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LeasedNotifications.class.getName());

    private final Function<Consumer<JsonNode>, Notifications> open;
    private final LeasedState state;
    private final Path dir;
    private final MeterRegistry metrics;
    private final Duration stopTimeout;
    private volatile LeasedUnit unit;
    private volatile LaneLease lease;
    private volatile Notifications current;

    /**
     * @param open        makes the policy from what its folder holds, telling the given consumer each saved state
     * @param state       where its state is kept beside the lease
     * @param dir         its folder ({@code state.json}, {@code delivered.log})
     * @param stopTimeout how long it may take to stop when the lease moves away
     */
    public LeasedNotifications(Function<Consumer<JsonNode>, Notifications> open, LeasedState state, Path dir,
                               MeterRegistry metrics, Duration stopTimeout) {
        this.open = open;
        this.state = state;
        this.dir = dir;
        this.metrics = metrics;
        this.stopTimeout = stopTimeout;
    }

    /** Starts standing by for the lease (and running the policy whenever this instance holds it). */
    public void start(LaneLease notifyLease) {
        this.lease = notifyLease;
        LeasedUnit u = new LeasedUnit("notification policy", notifyLease, this::take, stopTimeout);
        this.unit = u;
        u.start();
    }

    /** Whether this instance runs the policy now. */
    public boolean running() {
        LeasedUnit u = unit;
        return u != null && u.running();
    }

    /** Makes the policy from the state the engine keeps, claimed for this instance. */
    private LeasedUnit.Unit take() {
        Optional<JsonNode> claimed = state.claim();
        if (claimed.isPresent()) {
            try {
                new StateFile(dir.resolve("state.json")).write(claimed.get());
                // the journal of sent notifications belongs to the state this instance had; the claimed one is newer
                Files.deleteIfExists(dir.resolve("delivered.log"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot restore the notification policy's state in " + dir, e);
            }
        }
        Notifications n = open.apply(this::saved);
        current = n;
        return new LeasedUnit.Unit() {
            @Override
            public void start() {
                n.start();
            }

            @Override
            public void stop(Duration timeout) {
                n.stop(timeout);
                n.unregisterMeters(metrics);
                current = null;
            }
        };
    }

    /** A state the policy saved: kept beside the lease, with its cursor (which the standing-by instances show). */
    private void saved(JsonNode doc) {
        LaneLease l = lease;
        if (l == null || !l.held()) {
            return;
        }
        l.store(doc.path("cursor").asLong());
        if (!state.write(doc)) {
            LOG.log(System.Logger.Level.DEBUG, "notify: the state was not kept in the engine this time");
        }
    }

    /** Stops the policy where it runs (saving its state) and gives the lease up. */
    @Override
    public void close() {
        LeasedUnit u = unit;
        if (u != null) {
            u.close();
        }
    }

    /** How the human channel {@code channel} looks from this instance: the policy's feed here, or standing by. */
    public Dispatcher.Feed feed(String channel) {
        return new Dispatcher.Feed() {
            private Dispatcher.Feed live() {
                Notifications n = current;
                return n != null && running() ? n.feed(channel) : null;
            }

            @Override
            public long cursor() {
                Dispatcher.Feed f = live();
                LaneLease l = lease;
                return f != null ? f.cursor() : l == null ? 0 : Math.max(0, l.storedCursor());
            }

            @Override
            public long delivered() {
                Dispatcher.Feed f = live();
                return f == null ? 0 : f.delivered();
            }

            @Override
            public long failed() {
                Dispatcher.Feed f = live();
                return f == null ? 0 : f.failed();
            }

            @Override
            public long retried() {
                Dispatcher.Feed f = live();
                return f == null ? 0 : f.retried();
            }

            @Override
            public long skipped() {
                Dispatcher.Feed f = live();
                return f == null ? 0 : f.skipped();
            }

            @Override
            public String circuit() {
                Dispatcher.Feed f = live();
                return f == null ? "CLOSED" : f.circuit();
            }

            @Override
            public Health health() {
                Dispatcher.Feed f = live();
                if (f != null) {
                    return f.health();
                }
                LaneLease l = lease;
                String holder = l == null ? "" : l.holder();
                return new Health(Health.State.UP, holder.isEmpty() ? "standby: waiting for the notification"
                        + " policy's lease" : "standby: instance " + holder + " runs the notification policy");
            }

            @Override
            public Map<String, Object> details() {
                Dispatcher.Feed f = live();
                return f == null ? Map.of() : f.details();
            }
        };
    }
}
