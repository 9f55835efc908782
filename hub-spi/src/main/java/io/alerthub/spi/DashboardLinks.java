package io.alerthub.spi;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Links from a notification back to the dashboard, as human channels put them in mails and chat messages: a channel's
 * {@code public-url} (the dashboard's address) and {@code link-template} (one link per event).
 *
 * @param publicUrl the dashboard's address, without a trailing slash; empty for no links
 * @param template  a link per event: {@code {public-url}}, {@code {characteristic_id}}, {@code {violation_id}},
 *                  {@code {seq}} and {@code {type}} are replaced, values URL-encoded
 */
public record DashboardLinks(String publicUrl, String template) {

    /** The placeholders a template may use. */
    public static final List<String> PLACEHOLDERS = List.of("public-url", "characteristic_id", "violation_id", "seq",
                                                            "type");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_-]+)}");

    /**
     * Reads {@code public-url} (default empty) and {@code link-template} (default {@code {public-url}}) of a channel's
     * section.
     *
     * @throws ConfigException naming the key that is wrong
     */
    public static DashboardLinks create(ConfigNode c) {
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
        String template = c.string("link-template", "{public-url}").trim();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group(1))) {
                throw c.error("link-template", "unknown placeholder {" + m.group(1) + "}; known: {"
                        + String.join("}, {", PLACEHOLDERS) + "}");
            }
        }
        return new DashboardLinks(publicUrl, template);
    }

    /** The link for one event (or alarm); empty when there is no {@code public-url}. Absent values become empty. */
    public String link(String characteristicId, String violationId, long seq, String type) {
        if (publicUrl.isEmpty()) {
            return "";
        }
        return template.replace("{public-url}", publicUrl)
                .replace("{characteristic_id}", encode(characteristicId))
                .replace("{violation_id}", encode(violationId))
                .replace("{seq}", Long.toString(seq))
                .replace("{type}", encode(type));
    }

    private static String encode(String s) {
        return s == null ? "" : URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
