package io.alerthub.core.dispatch;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A single consumer of the core with effects outside the hub (the notification policy), run on one instance at a
 * time: made and started when this instance gets the lease, stopped when it loses it (another instance then runs
 * it), made again the next time. The lanes of plugins get the same from {@link Lane}; this is for what is not a lane.
 */
public final class LeasedUnit implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LeasedUnit.class.getName());
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How long an instance whose unit failed to start leaves the lease to the other instances. */
    private static final Duration STEP_DOWN = Duration.ofSeconds(5);

    /** What runs under the lease. */
    public interface Unit {
        void start();

        /** Stops within {@code timeout}, having saved what the next holder goes on from. */
        void stop(Duration timeout);
    }

    private final String name;
    private final LaneLease lease;
    private final Supplier<Unit> open;
    private final Duration stopTimeout;
    private volatile Unit current;
    private volatile boolean closed;
    private Thread thread;

    /**
     * @param open        makes the unit for a granted lease (reading the state kept beside it)
     * @param stopTimeout how long a unit may take to stop when the lease moves away
     */
    public LeasedUnit(String name, LaneLease lease, Supplier<Unit> open, Duration stopTimeout) {
        this.name = name;
        this.lease = lease;
        this.open = open;
        this.stopTimeout = stopTimeout;
    }

    public void start() {
        thread = Thread.ofVirtual().name("leased-" + name).start(this::run);
    }

    /** Whether this instance runs the unit now. */
    public boolean running() {
        return current != null;
    }

    /** The other instance last seen running it; empty when none does (or this one does). */
    public String holder() {
        return lease.holder();
    }

    private void run() {
        boolean standbyLogged = false;
        while (!closed) {
            try {
                LaneLease.Grant grant = lease.acquire(Duration.ofMillis(200));
                if (grant == null) {
                    if (!standbyLogged && !lease.holder().isEmpty()) {
                        standbyLogged = true;
                        LOG.log(System.Logger.Level.INFO, name + ": standing by, instance " + lease.holder()
                                + " runs it");
                    }
                    continue;
                }
                if (closed) {
                    break;
                }
                Unit unit;
                try {
                    unit = open.get();
                    unit.start();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, name + ": cannot start it here; leaving it to another"
                            + " instance: " + e.getMessage());
                    lease.stepDown(STEP_DOWN);
                    continue;
                }
                current = unit;
                standbyLogged = false;
                LOG.log(System.Logger.Level.INFO, name + ": this instance runs it");
                while (!closed && lease.held()) {
                    TimeUnit.NANOSECONDS.sleep(POLL_NANOS);
                }
                if (closed) {
                    break; // close() stops it and gives the lease back
                }
                LOG.log(System.Logger.Level.WARNING, name + ": lost its lease; stopping it here");
                unit.stop(stopTimeout);
                current = null;
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops the unit (when it runs here) and gives the lease up, so another instance takes it at once. */
    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Unit unit = current;
        if (unit != null) {
            unit.stop(stopTimeout);
            current = null;
        }
        lease.release();
    }
}
