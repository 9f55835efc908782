package io.alerthub.email;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;

import jakarta.mail.internet.InternetAddress;

import io.alerthub.spi.ConfigNode;
import io.alerthub.spi.DashboardLinks;

/**
 * {@code plugins.email}, read and checked once at load: how to reach the SMTP server and how mails look. Who gets
 * what, digests, rate limits and reminders are the hub's notification policy ({@code notify}); the plugin's
 * {@code to}, {@code filter}, {@code rules}, {@code group-window}, {@code digest-max-items}, {@code rate-limit} and
 * {@code reminder} are read by the hub as the shorthand for it (docs/email.md).
 *
 * @param smtp                 the server
 * @param from                 the sender ({@code From:} and the envelope sender)
 * @param templatesDir         user templates; missing files fall back to the built-in ones
 * @param templatesDirRequired whether the folder was configured (then it must exist)
 * @param presentation         time zone and dashboard links
 */
record EmailSettings(SmtpSettings smtp, InternetAddress from, Path templatesDir, boolean templatesDirRequired,
                     Presentation presentation) {

    static final String DEFAULT_TEMPLATES_DIR = "config/templates";

    static EmailSettings create(ConfigNode c) {
        SmtpSettings smtp = SmtpSettings.create(c.child("smtp"));
        InternetAddress from;
        try {
            from = Recipients.parseInternetAddress(c.string("from", "alerthub@localhost"));
        } catch (IllegalArgumentException e) {
            throw c.error("from", e.getMessage());
        }
        Path templatesDir = c.path("templates-dir", DEFAULT_TEMPLATES_DIR);
        return new EmailSettings(smtp, from, templatesDir, c.exists("templates-dir"), Presentation.create(c));
    }

    /**
     * How events are shown.
     *
     * @param zone  time zone of the times in mails
     * @param links links to the dashboard ({@code public-url}, {@code link-template})
     */
    record Presentation(ZoneId zone, DashboardLinks links) {

        static Presentation create(ConfigNode c) {
            ZoneId zone;
            String zoneText = c.string("time-zone", "UTC").trim();
            try {
                zone = ZoneId.of(zoneText);
            } catch (DateTimeException e) {
                throw c.error("time-zone", "'" + zoneText + "' is not a time zone (UTC, Europe/Berlin, +01:00)");
            }
            return new Presentation(zone, DashboardLinks.create(c));
        }

        String publicUrl() {
            return links.publicUrl();
        }
    }
}
