package io.alerthub.email;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.InternetAddress;

import io.alerthub.spi.Backoff;
import io.alerthub.spi.ConfigNode;

/**
 * {@code plugins.email}, read and checked once at load.
 *
 * @param smtp           the server
 * @param from           the sender ({@code From:} and the envelope sender)
 * @param rules          routing, first match wins
 * @param groupWindow    how long a recipient list's first event waits for others to join it in one digest
 * @param digestMaxItems how many events a digest lists one by one (the rest are counted)
 * @param rateLimit      the most mails per recipient list per period; beyond it, events fold into the next digest
 * @param reminder       repeat reminders for unacknowledged CRITICAL violations
 * @param retry          backoff of the plugin's own sending loop
 * @param templatesDir   user templates; missing files fall back to the built-in ones
 * @param templatesDirRequired whether the folder was configured (then it must exist)
 * @param presentation   time zone and dashboard links
 * @param outboxDir      where the outbox lives; empty = the plugin's folder under {@code hub.data-dir}
 */
record EmailSettings(SmtpSettings smtp, InternetAddress from, List<RoutingRule> rules, Duration groupWindow,
                     int digestMaxItems, RateLimit rateLimit, ReminderSettings reminder, RetrySettings retry,
                     Path templatesDir, boolean templatesDirRequired, Presentation presentation,
                     Optional<Path> outboxDir) {

    static final String DEFAULT_TEMPLATES_DIR = "config/templates";

    EmailSettings {
        rules = List.copyOf(rules);
    }

    static EmailSettings create(ConfigNode c) {
        SmtpSettings smtp = SmtpSettings.create(c.child("smtp"));
        InternetAddress from;
        try {
            from = Recipients.parseInternetAddress(c.string("from", "alerthub@localhost"));
        } catch (IllegalArgumentException e) {
            throw c.error("from", e.getMessage());
        }
        List<String> to = RoutingRule.addresses(c, "to", List.of("quality@localhost"));
        List<ConfigNode> ruleNodes = c.sections("rules");
        List<RoutingRule> rules = new ArrayList<>();
        if (ruleNodes.isEmpty()) {
            if (to.isEmpty()) {
                throw c.error("to", "is required: nobody would get the filter's events");
            }
            rules.add(RoutingRule.create(c.child("filter"), to, false));
        } else {
            if (c.exists("filter")) {
                throw c.error("filter", "give either filter (one rule for `to`) or rules, not both");
            }
            for (ConfigNode r : ruleNodes) {
                rules.add(RoutingRule.create(r, to, true));
            }
        }
        Path templatesDir = c.path("templates-dir", DEFAULT_TEMPLATES_DIR);
        Optional<Path> outbox = c.string("outbox-dir", "").isBlank()
                ? Optional.empty()
                : Optional.of(c.path("outbox-dir", ""));
        return new EmailSettings(smtp, from, rules,
                                 c.duration("group-window", Duration.ofSeconds(30)),
                                 c.integer("digest-max-items", 50, 1, 1000),
                                 RateLimit.create(c.child("rate-limit")),
                                 ReminderSettings.create(c.child("reminder")),
                                 RetrySettings.create(c.child("retry")),
                                 templatesDir, c.exists("templates-dir"),
                                 Presentation.create(c),
                                 outbox);
    }

    /**
     * At most {@code mails} mails to one recipient list within any {@code per}.
     *
     * @param mails the most mails
     * @param per   the sliding period
     */
    record RateLimit(int mails, Duration per) {
        static RateLimit create(ConfigNode c) {
            return new RateLimit(c.integer("mails", 10, 1, 1_000_000),
                                 c.positiveDuration("per", Duration.ofMinutes(10)));
        }
    }

    /**
     * Reminders for CRITICAL violations nobody acknowledged.
     *
     * @param enabled whether reminders are sent
     * @param after   how long after the violation's mail the first reminder goes
     * @param repeat  the time between further reminders
     * @param max     how many reminders at most per violation
     */
    record ReminderSettings(boolean enabled, Duration after, Duration repeat, int max) {
        /** The most violations waiting for a reminder at once; beyond it new ones get none (and are counted). */
        static final int MAX_TRACKED = 1000;

        static ReminderSettings create(ConfigNode c) {
            boolean enabled = c.bool("enabled", false);
            Duration after = c.positiveDuration("after", Duration.ofMinutes(30));
            return new ReminderSettings(enabled, after, c.positiveDuration("repeat", after),
                                        c.integer("max", 3, 1, 100));
        }
    }

    /**
     * How the sending loop backs off: exponential with full jitter, capped.
     *
     * @param initialBackoff the ceiling of the first wait
     * @param maxBackoff     the largest ceiling
     * @param giveUpAfter    how long a recipient that keeps answering "try later" (4xx) is retried before its
     *                       events are counted failed; a server that is away is retried for as long as it takes
     */
    record RetrySettings(Duration initialBackoff, Duration maxBackoff, Duration giveUpAfter) {
        static RetrySettings create(ConfigNode c) {
            Duration initial = c.positiveDuration("initial-backoff", Duration.ofSeconds(2));
            Duration max = c.positiveDuration("max-backoff", Duration.ofMinutes(5));
            if (max.compareTo(initial) < 0) {
                throw c.error("max-backoff", "must not be shorter than initial-backoff (" + initial + ")");
            }
            return new RetrySettings(initial, max, c.positiveDuration("give-up-after", Duration.ofDays(1)));
        }

        /** The hub's backoff (exponential, full jitter) from {@code initial-backoff} up to {@code max-backoff}. */
        Backoff backoff() {
            return new Backoff(initialBackoff, maxBackoff);
        }
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
