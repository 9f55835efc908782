package io.alerthub.email;

import java.time.Clock;

import io.alerthub.spi.ConfigNode;
import io.alerthub.spi.HubContext;
import io.alerthub.spi.Notifier;
import io.alerthub.spi.NotifierProvider;

/**
 * The email plugin ({@code plugins.email}): a human channel that renders the hub's notifications (single events,
 * digests, escalations) from templates and sends them over SMTP. Who gets what, digests, rate limits and reminders
 * are the hub's notification policy ({@code notify}, docs/alarms.md). Off unless {@code plugins.email.enabled} is
 * true. See docs/email.md.
 */
public final class EmailProvider implements NotifierProvider {

    @Override
    public String type() {
        return "email";
    }

    @Override
    public boolean enabledByDefault() {
        return false;
    }

    @Override
    public Notifier create(ConfigNode config, HubContext hub) {
        EmailSettings settings = EmailSettings.create(config);
        MailTemplates templates;
        try {
            templates = MailTemplates.load(settings.templatesDir(), settings.templatesDirRequired(),
                                           settings.presentation());
        } catch (IllegalArgumentException e) {
            throw config.error("templates-dir", e.getMessage());
        }
        return new EmailNotifier(settings, templates, hub, Clock.systemUTC());
    }
}
