package io.alerthub.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.alerthub.spi.ConfigNode;

/**
 * One webhook target: where notifications are POSTed and how.
 *
 * @param name    its name, what receivers name ({@code teams: { webhook: teams }})
 * @param url     where to POST; a user and password in it become a Basic {@code Authorization} header
 * @param format  the body's shape
 * @param headers extra request headers
 * @param secret  signs every body ({@code X-AlertHub-Signature: sha256=<hex>}); empty for no signature
 * @param timeout how long connecting and the whole answer may take
 */
record WebhookTarget(String name, URI url, Format format, Map<String, String> headers, String secret,
                     Duration timeout) {

    /** The body's shape. */
    enum Format {
        /** The notification as AlertHub JSON: its events in their wire form, counts, alarms. */
        JSON,
        /** Slack's incoming-webhook payload: {@code text} and Block Kit blocks. */
        SLACK,
        /** Microsoft Teams (a Workflows webhook): a message with an Adaptive Card. */
        TEAMS
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}");
    /** Headers the plugin sets itself, or the JDK's client refuses. */
    private static final Set<String> RESERVED = Set.of("content-type", "content-length", "host", "connection",
                                                       "expect", "upgrade", "x-alerthub-signature",
                                                       "x-alerthub-notification", "x-alerthub-kind");

    static WebhookTarget create(ConfigNode c) {
        String name = c.requiredString("name").trim();
        if (!NAME.matcher(name).matches()) {
            throw c.error("name", "'" + name + "' must be 1 to 64 characters A-Z a-z 0-9 _ -");
        }
        String text = c.requiredString("url").trim();
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw c.error("url", "is not a URL (" + e.getReason() + ")");
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
            throw c.error("url", "must be an http:// or https:// URL with a host (" + Urls.redact(url) + ")");
        }
        Format format = c.enumValue("format", Format.class, Format.JSON);
        Map<String, String> headers = new LinkedHashMap<>();
        c.map("headers").forEach((k, v) -> {
            if (!HEADER.matcher(k).matches() || RESERVED.contains(k.toLowerCase(Locale.ROOT))) {
                throw c.error("headers." + k, "is not a header a target may set");
            }
            if (v.chars().anyMatch(ch -> ch < 0x20 && ch != '\t' || ch == 0x7f)) {
                throw c.error("headers." + k, "must be one line of printable characters");
            }
            headers.put(k, v);
        });
        Duration timeout = c.positiveDuration("timeout", Duration.ofSeconds(10));
        return new WebhookTarget(name, url, format, Map.copyOf(headers), c.string("secret", ""), timeout);
    }

    /** What logs may show: scheme, host and port, never a user, password, path or query (they may be secrets). */
    String where() {
        return Urls.redact(url);
    }

    @Override
    public String toString() {
        return "WebhookTarget[" + name + " " + where() + " " + format.name().toLowerCase(Locale.ROOT) + "]";
    }
}
