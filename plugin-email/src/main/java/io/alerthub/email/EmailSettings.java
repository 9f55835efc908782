package io.alerthub.email;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.InternetAddress;

import io.alerthub.spi.ConfigNode;

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
     * @param zone         time zone of the times in mails
     * @param publicUrl    the dashboard's address; empty = no links
     * @param linkTemplate a link per event: {@code {public-url}}, {@code {characteristic_id}}, {@code {violation_id}},
     *                     {@code {seq}} and {@code {type}} are replaced (URL-encoded)
     */
    record Presentation(ZoneId zone, String publicUrl, String linkTemplate) {
        private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_-]+)}");
        static final List<String> PLACEHOLDERS = List.of("public-url", "characteristic_id", "violation_id", "seq",
                                                         "type");

        static Presentation create(ConfigNode c) {
            ZoneId zone;
            String zoneText = c.string("time-zone", "UTC").trim();
            try {
                zone = ZoneId.of(zoneText);
            } catch (DateTimeException e) {
                throw c.error("time-zone", "'" + zoneText + "' is not a time zone (UTC, Europe/Berlin, +01:00)");
            }
            String publicUrl = c.string("public-url", "").trim();
            if (!publicUrl.isEmpty()) {
                try {
                    URI uri = new URI(publicUrl);
                    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                        throw c.error("public-url", "'" + publicUrl + "' must be an http:// or https:// address");
                    }
                } catch (URISyntaxException e) {
                    throw c.error("public-url", "'" + publicUrl + "' is not a URL: " + e.getReason());
                }
                while (publicUrl.endsWith("/")) {
                    publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
                }
            }
            String link = c.string("link-template", "{public-url}").trim();
            Matcher m = PLACEHOLDER.matcher(link);
            while (m.find()) {
                if (!PLACEHOLDERS.contains(m.group(1))) {
                    throw c.error("link-template", "unknown placeholder {" + m.group(1) + "}; known: {"
                            + String.join("}, {", PLACEHOLDERS) + "}");
                }
            }
            return new Presentation(zone, publicUrl, link);
        }
    }
}
