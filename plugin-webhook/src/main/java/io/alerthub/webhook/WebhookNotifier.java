package io.alerthub.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.alerthub.spi.ConfigNode;
import io.alerthub.spi.DeliveryException;
import io.alerthub.spi.Event;
import io.alerthub.spi.Health;
import io.alerthub.spi.HubContext;
import io.alerthub.spi.Notification;
import io.alerthub.spi.NotificationSender;
import io.alerthub.spi.Notifier;

/**
 * The webhook channel: one HTTP POST per notification, with the JDK's {@link HttpClient}, and the target's answer
 * as the hub's: 2xx sent; 429 (with its {@code Retry-After}), 5xx, 408, a timeout or a connection that fails make
 * the notification wait and be tried again with the hub's backoff for as long as it takes (it is never lost); any
 * other answer (404, 400, a redirect) refuses it for good, counted, with the status and the first 200 bytes of the
 * answer in the hub's one log line. A URL is never logged whole (it may carry a credential).
 */
final class WebhookNotifier implements Notifier, NotificationSender {

    private static final System.Logger LOG = System.getLogger(WebhookNotifier.class.getName());
    /** The most a target's {@code Retry-After} makes the hub wait; a longer one is taken as this. */
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);
    private static final int ANSWER_SHOWN = 200;

    private final WebhookSettings settings;
    private final HubContext hub;
    private final WebhookPayloads payloads;
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();
    /** Per target, why its last attempt did not go through; absent when it did. */
    private final Map<String, String> problems = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong temporaryFailures = new AtomicLong();
    private final AtomicLong permanentFailures = new AtomicLong();

    WebhookNotifier(WebhookSettings settings, HubContext hub) {
        this.settings = settings;
        this.hub = hub;
        this.payloads = new WebhookPayloads(settings.links());
    }

    @Override
    public void start() {
        for (WebhookTarget t : settings.targets().values()) {
            clients.put(t.name(), HttpClient.newBuilder()
                    .connectTimeout(t.timeout())
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build());
            LOG.log(System.Logger.Level.INFO, "webhook: target " + t.name() + " at " + t.where() + ", "
                    + t.format().name().toLowerCase(Locale.ROOT) + (t.secret().isEmpty() ? "" : ", signed"));
        }
        hub.meters().counter("alerthub.webhook.sent", "Notifications a webhook target took (2xx)", sent::get);
        hub.meters().counter("alerthub.webhook.failures.temporary", "Attempts answered 429, 5xx or not at all",
                             temporaryFailures::get);
        hub.meters().counter("alerthub.webhook.failures.permanent", "Notifications a target refused for good (4xx)",
                             permanentFailures::get);
    }

    /** Never called: the hub feeds a notification sender notifications, not events. */
    @Override
    public void deliver(Event event) {
    }

    /** A receiver's target: {@code webhook: teams}, or {@code webhook: { target: teams }}. */
    @Override
    public String address(ConfigNode receiver, String key) {
        AddressField at = AddressField.of(receiver, key, "target");
        String target = at.node().requiredString(at.name()).trim();
        if (!settings.targets().containsKey(target)) {
            throw at.node().error(at.name(), "no webhook target named '" + target + "' in plugins.webhook.targets"
                    + " (known: " + String.join(", ", settings.targets().keySet()) + ")");
        }
        return target;
    }

    @Override
    public void send(Notification n) throws DeliveryException {
        WebhookTarget t = settings.targets().get(n.address());
        if (t == null) {
            throw DeliveryException.permanent("no webhook target named " + n.address());
        }
        byte[] body = payloads.render(t.format(), n);
        HttpRequest.Builder request = HttpRequest.newBuilder(Urls.withoutUserInfo(t.url()))
                .timeout(t.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "AlertHub")
                .header("X-AlertHub-Notification", n.id())
                .header("X-AlertHub-Kind", n.kind().name().toLowerCase(Locale.ROOT));
        Optional<String> basic = Urls.basicAuthorization(t.url());
        if (basic.isPresent() && t.headers().keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Authorization"))) {
            request.header("Authorization", basic.get());
        }
        t.headers().forEach(request::header);
        if (!t.secret().isEmpty()) {
            request.header(Signature.HEADER, Signature.of(t.secret(), body));
        }
        request.POST(HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<InputStream> answer;
        try {
            answer = clients.get(t.name()).send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw temporary(t, "no answer within " + t.timeout(), null);
        } catch (ConnectException e) {
            throw temporary(t, "cannot connect" + (e.getMessage() == null ? "" : ": " + e.getMessage()), null);
        } catch (IOException e) {
            throw temporary(t, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                            null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw temporary(t, "interrupted (the hub is stopping)", null);
        }
        int status = answer.statusCode();
        String shown = firstBytes(answer);
        if (status / 100 == 2) {
            if (problems.remove(t.name()) != null) {
                LOG.log(System.Logger.Level.INFO, "webhook: target " + t.name() + " takes notifications again");
            }
            sent.incrementAndGet();
            return;
        }
        String said = t.where() + " answered " + status + (shown.isEmpty() ? "" : ": " + shown);
        if (status == 429 || status == 503 || status == 408 || status / 100 == 5) {
            throw temporary(t, "answered " + status + (shown.isEmpty() ? "" : ": " + shown),
                            status == 429 || status == 503 ? retryAfter(answer).orElse(null) : null);
        }
        permanentFailures.incrementAndGet();
        throw DeliveryException.permanent("target " + t.name() + " (" + said + ")");
    }

    private DeliveryException temporary(WebhookTarget t, String why, Duration retryAfter) {
        temporaryFailures.incrementAndGet();
        String message = "target " + t.name() + " (" + t.where() + ") " + why;
        if (problems.put(t.name(), message) == null) {
            LOG.log(System.Logger.Level.WARNING, "webhook: " + message + "; the notification waits and is tried again");
        }
        return retryAfter == null ? DeliveryException.unavailable(message)
                : DeliveryException.unavailable(message + " (Retry-After " + retryAfter.toSeconds() + " s)",
                                                retryAfter);
    }

    /** The start of the answer's body, on one line, for the log; the rest is not read. */
    private static String firstBytes(HttpResponse<InputStream> answer) {
        try (InputStream in = answer.body()) {
            byte[] b = in.readNBytes(ANSWER_SHOWN);
            return new String(b, StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}\\uFFFD]", " ").strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** {@code Retry-After}: seconds, or an HTTP date; at most {@link #MAX_RETRY_AFTER}. */
    static Optional<Duration> retryAfter(HttpResponse<?> answer) {
        return answer.headers().firstValue("Retry-After").flatMap(WebhookNotifier::retryAfter);
    }

    static Optional<Duration> retryAfter(String value) {
        String v = value.trim();
        Duration d;
        try {
            d = Duration.ofSeconds(Long.parseLong(v));
        } catch (NumberFormatException e) {
            try {
                d = Duration.between(Instant.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (DateTimeParseException x) {
                return Optional.empty();
            }
        }
        if (d.isNegative()) {
            return Optional.of(Duration.ZERO);
        }
        return Optional.of(d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d);
    }

    @Override
    public Health health() {
        if (problems.isEmpty()) {
            return Health.up();
        }
        return Health.degraded(String.join("; ", problems.values()));
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("targets", settings.targets().keySet().stream().sorted().toList());
        d.put("sent", sent.get());
        d.put("temporary_failures", temporaryFailures.get());
        d.put("permanent_failures", permanentFailures.get());
        if (!problems.isEmpty()) {
            d.put("problems", Map.copyOf(problems));
        }
        return d;
    }

    @Override
    public void close() {
        clients.values().forEach(HttpClient::close);
        clients.clear();
    }
}
