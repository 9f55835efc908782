package io.alerthub.webhook;

import java.nio.file.Path;

import io.alerthub.core.config.HubConfig;
import io.alerthub.core.dispatch.PluginStatus;
import io.alerthub.core.testing.TestHub;

/** Hubs for the webhook tests: in-process on a free port, fast retries, a webhook receiver {@code hook}. */
final class WebhookHub {

    /** The hub's one retry loop, fast for tests. */
    static final String FAST = "  dispatch: { base-delay: PT0.05S, max-delay: PT0.3S, breaker-open: PT1S }\n";

    private WebhookHub() {
    }

    /**
     * A whole configuration: receiver {@code hook} on target {@code main} ({@code target} is its flow mapping's
     * inside, after name), every CRITICAL violation to it at once (group window 0), and {@code more} top-level YAML.
     */
    static String yaml(Path data, String target, String more) {
        return """
                server: { port: 0 }
                hub:
                  data-dir: "%s"
                %snotify:
                  receivers:
                    hook: { webhook: main }
                  routes:
                    - match: { type: violation, min-severity: CRITICAL }
                      receivers: [hook]
                      group-window: PT0S
                plugins:
                  webhook:
                    enabled: true
                    targets:
                      - { name: main, %s }
                %s""".formatted(data, FAST, target, more == null ? "" : more);
    }

    static TestHub start(Path data, String target) {
        return TestHub.start(HubConfig.fromYaml(yaml(data, target, null), java.util.Map.of()));
    }

    static PluginStatus webhook(TestHub hub) {
        return hub.pluginStatus("webhook");
    }

    static long detail(TestHub hub, String key) {
        Object v = webhook(hub).details().get(key);
        if (!(v instanceof Number n)) {
            throw new AssertionError("no number " + key + " in " + webhook(hub).details());
        }
        return n.longValue();
    }

    static String violation(long id, String topic) {
        return """
                {"type":"violation","characteristic_id":%d,"topics":["%s"],"severity":"CRITICAL",
                 "payload":{"violation_id":%d,"rule_id":1,"rule_name":"One point beyond 3 sigma",
                            "characteristic_name":"Bore diameter","value":10.31}}""".formatted(id % 10, topic, id);
    }
}
