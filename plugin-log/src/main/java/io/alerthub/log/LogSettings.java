package io.alerthub.log;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

import io.alerthub.spi.ConfigNode;
import io.alerthub.spi.Severity;
import io.alerthub.spi.SubscriptionPattern;

/**
 * {@code plugins.log}.
 *
 * @param level       the log level of the lines ({@code INFO})
 * @param types       event-type patterns to log ({@code [*]})
 * @param minSeverity the least severity logged ({@code INFO})
 * @param payload     whether the line carries the whole event JSON, or only its summary
 */
record LogSettings(Level level, List<SubscriptionPattern> types, Severity minSeverity, boolean payload) {

    static LogSettings create(ConfigNode c) {
        List<SubscriptionPattern> types = new ArrayList<>();
        for (String t : c.strings("types", List.of("*"))) {
            try {
                types.add(SubscriptionPattern.event(t));
            } catch (IllegalArgumentException e) {
                throw c.error("types", e.getMessage());
            }
        }
        Level level = c.enumValue("level", Level.class, Level.INFO);
        if (level == Level.ALL || level == Level.OFF) {
            throw c.error("level", "must be one of trace, debug, info, warning, error");
        }
        return new LogSettings(level, List.copyOf(types), c.enumValue("min-severity", Severity.class, Severity.INFO),
                               c.bool("payload", false));
    }

    boolean matches(String type, Severity severity) {
        return severity.atLeast(minSeverity) && types.stream().anyMatch(p -> p.matches(type));
    }
}
