package io.alerthub.core.event;

import java.util.concurrent.Semaphore;

/**
 * Lets producers in while the hub runs: at most {@code maxInflight} requests at once (more get 429), and
 * none once shutdown began (503). Both answers carry {@code Retry-After}.
 */
public final class IngestGate {

    /** Why a producer was turned away. */
    public enum Refusal { BUSY, SHUTTING_DOWN }

    /** A producer turned away. */
    public static final class RefusedException extends RuntimeException {
        private final Refusal refusal;

        RefusedException(Refusal refusal) {
            super(refusal == Refusal.BUSY ? "the hub is busy; retry shortly" : "the hub is shutting down",
                  null, false, false);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    private final Semaphore inflight;
    private volatile boolean closed;

    public IngestGate(int maxInflight) {
        this.inflight = new Semaphore(maxInflight);
    }

    /**
     * Enters; call {@link #exit()} when done.
     *
     * @throws RefusedException when the hub is busy or shutting down
     */
    public void enter() {
        if (closed) {
            throw new RefusedException(Refusal.SHUTTING_DOWN);
        }
        if (!inflight.tryAcquire()) {
            throw new RefusedException(Refusal.BUSY);
        }
        if (closed) {
            inflight.release();
            throw new RefusedException(Refusal.SHUTTING_DOWN);
        }
    }

    public void exit() {
        inflight.release();
    }

    /** Refuses everyone from now on. */
    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }
}
