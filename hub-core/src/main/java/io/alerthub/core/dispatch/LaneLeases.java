package io.alerthub.core.dispatch;

import java.util.function.LongSupplier;

/**
 * Makes the leases of the lanes that must run on one instance at a time: in cluster mode the lanes of plugins with
 * side effects (those that are not {@link io.alerthub.spi.LocalDelivery}), and any single consumer of the core's that
 * has effects outside the hub. A single hub has none: all its lanes run.
 */
public interface LaneLeases {

    /**
     * The lease of lane {@code name}.
     *
     * @param busyNanos how long the lane's current delivery has run (0 when it is not delivering, {@link Long#MAX_VALUE}
     *                  when the lane died): a lane stuck longer than the takeover time stops renewing its lease, so
     *                  another instance takes the lane over
     */
    LaneLease lease(String name, LongSupplier busyNanos);
}
