package io.alerthub.webhook;

import io.alerthub.spi.ConfigNode;
import io.alerthub.spi.HubContext;
import io.alerthub.spi.Notifier;
import io.alerthub.spi.NotifierProvider;

/**
 * The webhook plugin ({@code plugins.webhook}): a human channel that POSTs the hub's notifications (single events,
 * digests, escalations) to HTTP targets as JSON, or as Slack's or Microsoft Teams' incoming-webhook payloads, signed
 * with HMAC-SHA256 when a target has a secret. Off unless {@code plugins.webhook.enabled} is true. See
 * docs/webhook.md.
 */
public final class WebhookProvider implements NotifierProvider {

    @Override
    public String type() {
        return "webhook";
    }

    @Override
    public boolean enabledByDefault() {
        return false;
    }

    @Override
    public Notifier create(ConfigNode config, HubContext hub) {
        return new WebhookNotifier(WebhookSettings.create(config), hub);
    }
}
