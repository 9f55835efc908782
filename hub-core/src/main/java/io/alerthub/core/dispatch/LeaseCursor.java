package io.alerthub.core.dispatch;

import java.util.OptionalLong;

/** A leased lane's cursor, stored with its lease in the engine, so whichever instance takes the lane goes on from it. */
final class LeaseCursor implements LaneCursor {

    private final LaneLease lease;
    /** Lane thread only: what the lease last stored for us. */
    private long stored = -1;
    /** Lane thread only: whether the lane took a grant, so its cursor is the lane's to store (not a stale one). */
    private boolean granted;

    LeaseCursor(LaneLease lease) {
        this.lease = lease;
    }

    /** The lease was granted with {@code cursor} stored (-1: none). */
    void granted(long cursor) {
        stored = cursor;
        granted = true;
    }

    @Override
    public OptionalLong load() {
        return stored < 0 ? OptionalLong.empty() : OptionalLong.of(stored);
    }

    @Override
    public boolean save(long seq) {
        if (!granted || seq == stored || !lease.held()) {
            return false;
        }
        if (!lease.store(seq)) {
            return false;
        }
        stored = seq;
        return true;
    }

    /** Gives the lease up: the last cursor was saved before. */
    @Override
    public void close() {
        lease.release();
    }
}
