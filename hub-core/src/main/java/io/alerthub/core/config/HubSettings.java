package io.alerthub.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import io.alerthub.spi.ConfigNode;
import io.alerthub.spi.SubscriptionPattern;

/**
 * {@code hub}: the event log, history, deduplication, limits and dispatch.
 *
 * @param dataDir          where the event log, cursors and plugin data live
 * @param log              the event log
 * @param historySize      the most events a history query or a resume may reach back
 * @param dedupWindow      how long a producer {@code id} is remembered
 * @param dedupMaxIds      the most ids remembered at once (the oldest are forgotten early past it)
 * @param maxEventBytes    the largest serialized payload
 * @param maxBatchEvents   the most events in one POST
 * @param maxBodyBytes     the largest request body
 * @param maxInflight      concurrent ingest requests before 429
 * @param broadcastTypes   types every WebSocket client receives
 * @param dispatch         lanes: retry and circuit breaker
 * @param shutdownTimeout  how long a stop waits for lanes to reach the log head
 * @param pluginsDir       where plugin folders are found; empty = {@code $ALERTHUB_HOME/plugins} when set
 * @param dashboard        serve the dashboard at {@code /} when its jar is installed
 */
public record HubSettings(Path dataDir, LogSettings log, int historySize, Duration dedupWindow, int dedupMaxIds, int maxEventBytes,
                          int maxBatchEvents, int maxBodyBytes, int maxInflight, Set<String> broadcastTypes,
                          DispatchSettings dispatch, Duration shutdownTimeout, Optional<Path> pluginsDir,
                          boolean dashboard) {

    public static HubSettings create(ConfigNode c) {
        Set<String> broadcast = new LinkedHashSet<>();
        for (String t : c.strings("broadcast-types", java.util.List.of("ack_update", "alarm_update"))) {
            if (!SubscriptionPattern.TYPE.matcher(t).matches()) {
                throw c.error("broadcast-types", "'" + t + "' is not an event type");
            }
            broadcast.add(t);
        }
        Optional<Path> pluginsDir = c.exists("plugins-dir")
                ? Optional.of(c.path("plugins-dir", "plugins"))
                : Optional.empty();
        return new HubSettings(
                c.path("data-dir", "data"),
                LogSettings.create(c.child("log")),
                c.integer("history-size", 10_000, 1, 10_000_000),
                c.positiveDuration("dedup-window", Duration.ofMinutes(10)),
                c.integer("dedup-max-ids", 200_000, 1, 50_000_000),
                c.integer("max-event-bytes", 65_536, 16, 16 << 20),
                c.integer("max-batch-events", 1000, 1, 100_000),
                c.integer("max-body-bytes", 1 << 20, 1024, 256 << 20),
                c.integer("max-inflight", 256, 1, 100_000),
                Set.copyOf(broadcast),
                DispatchSettings.create(c.child("dispatch")),
                c.duration("shutdown-timeout", Duration.ofSeconds(30)),
                pluginsDir,
                c.bool("dashboard", true));
    }
}
