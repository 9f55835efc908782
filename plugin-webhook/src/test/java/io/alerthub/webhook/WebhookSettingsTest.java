package io.alerthub.webhook;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.alerthub.core.config.HubConfig;
import io.alerthub.core.notify.NotifySettings;
import io.alerthub.spi.ConfigException;
import io.alerthub.spi.ConfigNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code plugins.webhook}: one row per bad value and the key it names; the shipped example loads. */
class WebhookSettingsTest {

    @TempDir
    Path dir;

    private static ConfigNode section(String targets) {
        return HubConfig.fromYaml("plugins:\n  webhook:\n    enabled: true\n    " + targets + "\n", Map.of()).plugins()
                .child("webhook");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            `targets: [ { url: "http://127.0.0.1/h" } ]`                      | plugins.webhook.targets[0].name: is required
            `targets: [ { name: "a b", url: "http://127.0.0.1/h" } ]`         | plugins.webhook.targets[0].name: 'a b' must be
            `targets: [ { name: a } ]`                                        | plugins.webhook.targets[0].url: is required
            `targets: [ { name: a, url: "ftp://host/h" } ]`                   | plugins.webhook.targets[0].url: must be an http:// or https:// URL
            `targets: [ { name: a, url: "http://[x" } ]`                      | plugins.webhook.targets[0].url: is not a URL
            `targets: [ { name: a, url: "http://h/", format: xml } ]`         | plugins.webhook.targets[0].format: 'xml' must be one of json, slack, teams
            `targets: [ { name: a, url: "http://h/", timeout: PT0S } ]`       | plugins.webhook.targets[0].timeout: must be longer than zero
            `targets: [ { name: a, url: "http://h/", headers: { Content-Type: x } } ]` | plugins.webhook.targets[0].headers.Content-Type: is not a header a target may set
            `targets: [ { name: a, url: "http://h/" }, { name: a, url: "http://h/" } ]` | plugins.webhook.targets[1].name: another target is named a
            `public-url: "ftp://spc"`                                         | plugins.webhook.public-url: 'ftp://spc' must be an http
            `link-template: "{public-url}/{nope}"`                            | plugins.webhook.link-template: unknown placeholder {nope}
            """)
    void aBadValueStopsTheStartNamingItsKey(String yaml, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> new WebhookProvider().create(section(yaml), null));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void aCredentialInTheUrlNeverShowsInAnError() {
        ConfigException e = assertThrows(ConfigException.class, () -> new WebhookProvider().create(
                section("targets: [ { name: a, url: \"ftp://user:hunter2@host/secret/path?k=v\" } ]"), null));
        assertTrue(e.getMessage().contains("ftp://host/…"), e.getMessage());
        assertTrue(!e.getMessage().contains("hunter2") && !e.getMessage().contains("secret/path"), e.getMessage());
    }

    @Test
    void aReceiverMustNameAConfiguredTarget() throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> io.alerthub.core.testing.TestHub.start(
                HubConfig.fromYaml(WebhookHub.yaml(dir.resolve("data"), "url: \"http://127.0.0.1:9/h\"", "")
                                           .replace("hook: { webhook: main }", "hook: { webhook: mian }"),
                                   Map.of())).close());
        assertEquals("notify.receivers.hook.webhook: no webhook target named 'mian' in plugins.webhook.targets"
                             + " (known: main)", e.getMessage());
    }

    @Test
    void theShippedExampleLoads() throws Exception {
        String yaml = Files.readString(Path.of("..", "config", "examples", "webhook.yaml"));
        HubConfig config = HubConfig.fromYaml(yaml, Map.of("TEAMS_QUALITY_URL", "https://teams.example/q",
                                                           "TEAMS_SHIFT_URL", "https://teams.example/s",
                                                           "SLACK_QUALITY_URL", "https://hooks.slack.com/x",
                                                           "MES_WEBHOOK_SECRET", "s"));
        NotifySettings notify = NotifySettings.create(config.root());
        assertEquals(4, notify.receivers().size());
        assertEquals(1, notify.inhibit().size());
        ConfigNode c = config.plugins().child("webhook");
        c.accept("enabled");
        WebhookSettings s = WebhookSettings.create(c);
        c.rejectUnknown();
        assertEquals(4, s.targets().size());
        assertEquals(WebhookTarget.Format.TEAMS, s.targets().get("quality-teams").format());
        assertEquals("https://mes.plant.example/…", s.targets().get("mes").where());
        assertEquals(Map.of("X-Plant", "Berlin-2"), s.targets().get("mes").headers());
        // and the hub's own default configuration reads as well
        NotifySettings defaults = NotifySettings.create(HubConfig.load(Path.of("..", "config", "application.yaml"))
                                                                .root());
        assertTrue(defaults.isEmpty(), "email is off by default: nothing is notified");
    }
}
