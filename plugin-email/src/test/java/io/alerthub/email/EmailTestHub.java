package io.alerthub.email;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.alerthub.core.Hub;
import io.alerthub.core.config.HubConfig;
import io.alerthub.core.dispatch.PluginStatus;

/** A real hub, in-process, on a free port, with the email plugin configured by the test. */
final class EmailTestHub implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Hub hub;

    private EmailTestHub(Hub hub) {
        this.hub = hub;
    }

    /** Starts a hub whose {@code plugins.email} section is {@code emailYaml} (its keys, unindented). */
    static EmailTestHub start(Path dataDir, String emailYaml) {
        return new EmailTestHub(Hub.start(HubConfig.fromYaml(hubYaml(dataDir, emailYaml))));
    }

    /** The whole configuration file for a hub with this email section. */
    static String hubYaml(Path dataDir, String emailYaml) {
        StringBuilder email = new StringBuilder();
        for (String line : emailYaml.stripIndent().split("\n")) {
            email.append("    ").append(line).append('\n');
        }
        return "server:\n  port: 0\nhub:\n  data-dir: \"" + dataDir + "\"\nplugins:\n  email:\n" + email;
    }

    /**
     * The email section most tests start from: a fast group window and backoff, loopback SMTP on {@code port}.
     *
     * @param extra more keys of the section (unindented YAML)
     */
    static String emailYaml(int smtpPort, Path outbox, String extra) {
        return """
                enabled: true
                smtp: { host: 127.0.0.1, port: %d, connect-timeout: PT2S, read-timeout: PT5S, write-timeout: PT5S }
                from: "AlertHub <alerthub@plant.example>"
                outbox-dir: "%s"
                retry: { initial-backoff: PT0.05S, max-backoff: PT0.4S }
                """.formatted(smtpPort, outbox) + (extra == null ? "" : extra.stripIndent());
    }

    int port() {
        return hub.port();
    }

    Hub hub() {
        return hub;
    }

    /** Publishes events (JSON objects) in one batch and returns their seqs. */
    List<Long> publish(String... events) {
        return publish(List.of(events));
    }

    List<Long> publish(List<String> events) {
        HttpResponse<String> r = post("/api/v1/events", "{\"events\":[" + String.join(",", events) + "]}");
        if (r.statusCode() != 202) {
            throw new AssertionError("expected 202, got " + r.statusCode() + ": " + r.body());
        }
        List<Long> seqs = new ArrayList<>();
        json(r.body()).get("seq").forEach(n -> seqs.add(n.asLong()));
        return seqs;
    }

    PluginStatus email() {
        return hub.plugins().stream().filter(p -> p.name().equals("email")).findFirst()
                .orElseThrow(() -> new AssertionError("no email plugin loaded"));
    }

    Map<String, Object> details() {
        return email().details();
    }

    long detail(String key) {
        Object v = details().get(key);
        if (!(v instanceof Number n)) {
            throw new AssertionError("no number " + key + " in " + details());
        }
        return n.longValue();
    }

    /** Nothing waiting in the outbox: no pending mail, nothing in flight. */
    boolean idle() {
        return detail("pending_mails") == 0;
    }

    /** A meter's value from {@code /observe/metrics} (Prometheus text). */
    double metric(String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$")
                .matcher(get("/observe/metrics").body());
        if (!m.find()) {
            throw new AssertionError("no meter " + name + " at /observe/metrics");
        }
        return Double.parseDouble(m.group(2));
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + path)).GET().build());
    }

    HttpResponse<String> post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + path))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A violation event as OpenSPC posts it, with value and limits. */
    static String violation(long violationId, String characteristicId, String severity) {
        return """
                {"type":"violation","characteristic_id":"%s","topics":["line:7"],"severity":"%s",
                 "payload":{"violation_id":%d,"sample_id":%d,"rule_id":1,"rule_name":"One point beyond 3 sigma",
                            "characteristic_name":"Bore diameter %s","value":10.31,"lcl":9.7,"center_line":10.0,
                            "ucl":10.3,"unit":"mm"}}""".formatted(characteristicId, severity, violationId,
                                                               violationId + 1000, characteristicId);
    }

    static String criticalViolation(long violationId, String characteristicId) {
        return violation(violationId, characteristicId, "CRITICAL");
    }

    @Override
    public void close() {
        hub.close();
    }
}
