package io.alerthub.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Webhook URLs as they may be shown, and as they are sent. Chat webhooks carry their credential in the URL — in the
 * path (Slack's {@code /services/T…/B…/secret}), the query ({@code ?code=…}) or the user-info — so a URL is never
 * logged whole: only its scheme, host and port.
 */
final class Urls {

    private Urls() {
    }

    /** {@code https://hooks.slack.com/…}: scheme, host and port only. */
    static String redact(URI url) {
        String scheme = url.getScheme() == null ? "?" : url.getScheme();
        String host = url.getHost() == null ? "?" : url.getHost();
        return scheme + "://" + host + (url.getPort() < 0 ? "" : ":" + url.getPort()) + "/…";
    }

    /** The URL without its user-info (the JDK's client does not send it; it becomes an Authorization header). */
    static URI withoutUserInfo(URI url) {
        if (url.getRawUserInfo() == null) {
            return url;
        }
        try {
            return new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getRawPath(), null, null)
                    .resolve(url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot remove the user from " + redact(url), e);
        }
    }

    /** {@code Basic <base64(user:password)>} for a URL with user-info. */
    static Optional<String> basicAuthorization(URI url) {
        String info = url.getUserInfo();
        if (info == null || info.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("Basic " + Base64.getEncoder().encodeToString(info.getBytes(StandardCharsets.UTF_8)));
    }
}
