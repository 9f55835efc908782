package io.alerthub.webhook;

import java.util.LinkedHashMap;
import java.util.Map;

import io.alerthub.spi.ConfigNode;
import io.alerthub.spi.DashboardLinks;

/**
 * {@code plugins.webhook}, read and checked once at load.
 *
 * @param targets by name
 * @param links   links to the dashboard ({@code public-url}, {@code link-template}) for chat messages
 */
record WebhookSettings(Map<String, WebhookTarget> targets, DashboardLinks links) {

    static WebhookSettings create(ConfigNode c) {
        Map<String, WebhookTarget> targets = new LinkedHashMap<>();
        for (ConfigNode t : c.sections("targets")) {
            WebhookTarget target = WebhookTarget.create(t);
            if (targets.putIfAbsent(target.name(), target) != null) {
                throw t.error("name", "another target is named " + target.name());
            }
        }
        return new WebhookSettings(Map.copyOf(targets), DashboardLinks.create(c));
    }
}
