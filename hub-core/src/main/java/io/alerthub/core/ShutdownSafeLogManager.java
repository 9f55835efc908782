package io.alerthub.core;

import java.util.logging.LogManager;

/**
 * The JDK resets logging from a shutdown hook of its own, which runs at the same time as the hub's: the lines
 * a stopping hub writes ("stopping", "stopped", a plugin that did not catch up) would be lost. This manager
 * ignores that one reset; every other reset (reading a configuration) works as usual. Installed by
 * {@link Main} through {@code java.util.logging.manager} before anything logs.
 */
public final class ShutdownSafeLogManager extends LogManager {

    @Override
    public void reset() {
        if (Thread.currentThread().getClass().getName().equals("java.util.logging.LogManager$Cleaner")) {
            return;
        }
        super.reset();
    }
}
