package io.alerthub.core.dispatch;

import java.util.Map;

import io.alerthub.spi.Health;

/**
 * One plugin as {@code GET /api/v1/plugins} and the health checks show it.
 *
 * @param name      the plugin's name
 * @param source    where it was loaded from (a jar on the class path, or a plugins folder)
 * @param enabled   whether it runs
 * @param state     UP, DEGRADED or DOWN (DOWN with reason "disabled" when it does not run)
 * @param reason    why it is not UP
 * @param circuit   the lane's breaker: CLOSED, OPEN, HALF_OPEN
 * @param cursor    the last seq handed to the plugin
 * @param lag       head seq − cursor
 * @param delivered events delivered
 * @param failed    events given up on
 * @param retried   attempts repeated
 * @param skipped   events retention removed before the plugin read them
 * @param details   the plugin's own facts
 */
public record PluginStatus(String name, String source, boolean enabled, Health.State state, String reason,
                           String circuit, long cursor, long lag, long delivered, long failed, long retried,
                           long skipped, Map<String, Object> details) {
}
