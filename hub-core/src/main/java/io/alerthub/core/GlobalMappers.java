package io.alerthub.core;

import io.helidon.common.mapper.MapperManager;

/**
 * Pins one Helidon {@link MapperManager} as the global one, once per JVM.
 *
 * <p>Helidon 4.2 reads header values and route parameters through {@code MapperManager.global()}, and while no
 * instance is pinned that call looks the manager up in Helidon's service registry on every request: about a
 * quarter of all the hub's allocation at 1,000 single-event POSTs a second, and so a quarter of its young
 * collections (helidon-io/helidon#10595, fixed in 4.3). With an instance pinned the call is a field read.
 */
final class GlobalMappers {

    private static MapperManager pinned;

    private GlobalMappers() {
    }

    /** Pins a manager with Helidon's built-in mappers the first time; returns the pinned one. */
    static synchronized MapperManager pin() {
        if (pinned == null) {
            pinned = MapperManager.create();
            MapperManager.global(pinned);
        }
        return pinned;
    }
}
