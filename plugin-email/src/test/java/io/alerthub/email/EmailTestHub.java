package io.alerthub.email;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.alerthub.core.Hub;
import io.alerthub.core.config.HubConfig;
import io.alerthub.core.dispatch.PluginStatus;
import io.alerthub.core.testing.HubClient;
import io.alerthub.core.testing.TestHub;

/** A real hub, in-process, on a free port, with the email plugin configured by the test. */
final class EmailTestHub implements AutoCloseable {

    private final TestHub hub;

    private EmailTestHub(TestHub hub) {
        this.hub = hub;
    }

    /** Starts a hub whose {@code plugins.email} section is {@code emailYaml} (its keys, unindented). */
    static EmailTestHub start(Path dataDir, String emailYaml) {
        return new EmailTestHub(TestHub.start(HubConfig.fromYaml(hubYaml(dataDir, emailYaml))));
    }

    /** The whole configuration file for a hub with this email section. */
    static String hubYaml(Path dataDir, String emailYaml) {
        StringBuilder email = new StringBuilder();
        for (String line : emailYaml.stripIndent().split("\n")) {
            email.append("    ").append(line).append('\n');
        }
        return "server:\n  port: 0\nhub:\n  data-dir: \"" + dataDir + "\"\n" + FAST_RETRIES + "plugins:\n  email:\n"
                + email;
    }

    /** The hub's retries (its one retry loop, for every channel), fast for tests. */
    static final String FAST_RETRIES = "  dispatch: { base-delay: PT0.05S, max-delay: PT0.4S, breaker-open: PT1S }\n";

    /**
     * The email section most tests start from: loopback SMTP on {@code port}.
     *
     * @param extra more keys of the section (unindented YAML)
     */
    static String emailYaml(int smtpPort, String extra) {
        return """
                enabled: true
                smtp: { host: 127.0.0.1, port: %d, connect-timeout: PT2S, read-timeout: PT5S, write-timeout: PT5S }
                from: "AlertHub <alerthub@plant.example>"
                """.formatted(smtpPort) + (extra == null ? "" : extra.stripIndent());
    }

    int port() {
        return hub.port();
    }

    Hub hub() {
        return hub.hub();
    }

    /** Publishes events (JSON objects) in one batch and returns their seqs. */
    List<Long> publish(String... events) {
        return publish(List.of(events));
    }

    List<Long> publish(List<String> events) {
        return hub.publish(HubClient.batch(events));
    }

    PluginStatus email() {
        return hub.pluginStatus("email");
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

    /** Nothing waiting: no group collecting events, no notification pending or in flight. */
    boolean idle() {
        return detail("pending_notifications") == 0 && detail("open_groups") == 0;
    }

    /** A meter's value from {@code /observe/metrics} (Prometheus text). */
    double metric(String name) {
        return hub.metric(name);
    }

    HttpResponse<String> get(String path) {
        return hub.get(path);
    }

    HttpResponse<String> post(String path, String body) {
        return hub.post(path, body);
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
