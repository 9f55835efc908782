package io.alerthub.email;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.alerthub.core.config.HubConfig;
import io.alerthub.core.notify.NotifySettings;
import io.alerthub.spi.ConfigException;
import io.alerthub.spi.ConfigNode;
import io.alerthub.spi.Health;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code plugins.email}: defaults, the Jakarta Mail session it makes, and one row per bad value and its error — the
 * plugin's own keys, and the routing keys the hub reads as the shorthand of its notification policy.
 */
class EmailSettingsTest {

    @TempDir
    Path dir;

    @Test
    void theDefaultsFollowTheProtocol() {
        EmailSettings s = EmailSettings.create(ConfigSections.email(""));
        assertEquals("127.0.0.1", s.smtp().host());
        assertEquals(25, s.smtp().port());
        assertEquals("alerthub@localhost", s.from().getAddress());
        assertEquals(Path.of("config/templates"), s.templatesDir());
        assertFalse(new EmailProvider().enabledByDefault());
        assertEquals("email", new EmailProvider().type());
    }

    @Test
    void starttlsIsRequiredOnTheSessionWhenAskedFor() {
        EmailSettings s = EmailSettings.create(ConfigSections.email("""
                smtp: { host: mail.plant.example, port: 587, starttls: true, username: alerthub, password: pw,
                        connect-timeout: 5s, read-timeout: PT20S, write-timeout: 15s }
                """));
        Properties p = s.smtp().sessionProperties("alerthub@localhost");
        assertEquals("smtp", s.smtp().protocol());
        assertEquals("true", p.getProperty("mail.smtp.starttls.enable"));
        assertEquals("true", p.getProperty("mail.smtp.starttls.required"));
        assertEquals("true", p.getProperty("mail.smtp.auth"));
        assertEquals("true", p.getProperty("mail.smtp.ssl.checkserveridentity"));
        assertEquals("true", p.getProperty("mail.smtp.sendpartial"));
        assertEquals("5000", p.getProperty("mail.smtp.connectiontimeout"));
        assertEquals("20000", p.getProperty("mail.smtp.timeout"));
        assertEquals("15000", p.getProperty("mail.smtp.writetimeout"));
        assertEquals("mail.plant.example", p.getProperty("mail.smtp.host"));
        assertEquals("587", p.getProperty("mail.smtp.port"));
        assertFalse(p.containsValue("pw"), "the password is given at connect, never kept in the session");
        assertFalse(s.smtp().toString().contains("pw"));
        assertFalse(s.toString().contains("pw,") || s.toString().contains("=pw"));
    }

    @Test
    void smtpsUsesTheSmtpsProtocolAndPort465() {
        EmailSettings s = EmailSettings.create(ConfigSections.email("smtp: { ssl: true }"));
        Properties p = s.smtp().sessionProperties("alerthub@localhost");
        assertEquals("smtps", s.smtp().protocol());
        assertEquals(465, s.smtp().port());
        assertEquals("true", p.getProperty("mail.smtps.ssl.enable"));
        assertEquals("false", p.getProperty("mail.smtps.auth"));
        assertEquals(null, p.getProperty("mail.smtps.starttls.enable"));
    }

    @Test
    void thePasswordCanComeFromTheEnvironment() {
        ConfigNode c = ConfigSections.email("smtp: { username: alerthub, password: \"${SMTP_PASSWORD}\" }",
                                           Map.of("SMTP_PASSWORD", "from-env"));
        assertEquals("from-env", EmailSettings.create(c).smtp().password());
    }

    @Test
    void everyKeyIsReadByThePluginOrByTheHubsNotificationPolicy() {
        String yaml = """
                enabled: true
                smtp: { host: h, port: 2525, starttls: false, ssl: false, username: "", password: "",
                        trust-certificates: "", connect-timeout: 1s, read-timeout: 1s, write-timeout: 1s }
                from: a@b.example
                to: [c@d.example]
                rules: [ { types: [violation], min-severity: CRITICAL, topics: ["line:1"], to: [e@f.example] } ]
                group-window: PT1S
                digest-max-items: 10
                rate-limit: { mails: 5, per: PT1M }
                reminder: { enabled: true, after: PT10M, repeat: PT20M, max: 2 }
                templates-dir: "%s"
                public-url: https://spc.example
                link-template: "{public-url}/c/{characteristic_id}"
                time-zone: Europe/Berlin
                outbox-dir: "%s"
                """.formatted(dir, dir.resolve("outbox"));
        try (EmailTestHub hub = EmailTestHub.start(dir.resolve("data"), yaml)) {
            assertEquals(Health.State.UP, hub.email().state());
            assertEquals(List.of("email-rule-1"), hub.details().get("receivers"), "to serves no rule here");
        }
    }

    @Test
    void theShippedExamplesLoad() {
        for (String example : List.of("email.yaml", "email-legacy.yaml")) {
            HubConfig config = HubConfig.load(Path.of("..", "config", "examples", example));
            NotifySettings notify = NotifySettings.create(config.root());
            ConfigNode c = config.plugins().child("email");
            c.accept("enabled");
            EmailSettings s = EmailSettings.create(c);
            new EmailProvider().create(c, null);
            c.rejectUnknown();
            assertTrue(s.smtp().starttls(), example);
            assertEquals(3, notify.routes().size(), example);
            assertEquals(2, notify.escalations().size(), example);
        }
    }

    @Test
    void anUnknownKeyIsRefusedByName() {
        ConfigNode c = ConfigSections.email("smtp: { hots: mail.example }");
        new EmailProvider().create(c, null);
        ConfigException e = assertThrows(ConfigException.class, c::rejectUnknown);
        assertEquals("plugins.email.smtp.hots: unknown key", e.getMessage());
    }

    @Test
    void trustedCertificatesThatCannotBeReadAreNamed() throws Exception {
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        ConfigException e = assertThrows(ConfigException.class, () -> EmailSettings.create(ConfigSections.email(
                "smtp: { starttls: true, trust-certificates: \"" + notPem + "\" }")));
        assertTrue(e.getMessage().startsWith("plugins.email.smtp.trust-certificates: cannot read " + notPem),
                   e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            `to: [quality@plant.example, nobody]`           | plugins.email.to: 'nobody' is not a mail address
            `to: []`                                        | plugins.email.to: is required
            `filter: { min-severity: HIGH }`                | plugins.email.filter.min-severity: 'HIGH' must be one of info, warning, critical
            `filter: { types: [\"Bad Type\"] }`             | plugins.email.filter.types: event pattern 'Bad Type'
            `{ filter: { types: [a] }, rules: [ { types: [b] } ] }` | plugins.email.filter: give either filter
            `rules: [ { topics: [nocolon] } ]`              | plugins.email.rules[0].topics: topic pattern 'nocolon'
            `rules: [ { types: [] } ]`                      | plugins.email.rules[0].types: must name at least one
            `{ to: [], rules: [ { types: [violation] } ] }` | plugins.email.to: is required
            `rules: [ { to: [\"a@b.example\r\nBcc: x\"] } ]` | plugins.email.rules[0].to: 'a@b.example Bcc: x' is not a mail address
            `group-window: soon`                            | plugins.email.group-window: 'soon' is not a duration
            `digest-max-items: 0`                           | plugins.email.digest-max-items: 0 is out of range
            `rate-limit: { mails: 0 }`                      | plugins.email.rate-limit.mails: 0 is out of range
            `rate-limit: { per: PT0S }`                     | plugins.email.rate-limit.per: must be longer than zero
            `reminder: { max: 0 }`                          | plugins.email.reminder.max: 0 is out of range
            `retry: { initial-backoff: PT10S }`             | plugins.email.retry: retries are the hub's now
            """)
    void aBadRoutingKeyStopsTheStartNamingItsKey(String yaml, String message) {
        ConfigException e = assertThrows(ConfigException.class,
                                         () -> EmailTestHub.start(dir.resolve("data"), flow(yaml)).close());
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    /** The section as one flow mapping with {@code enabled: true} (and {@code to}, unless the row sets it). */
    private static String flow(String row) {
        String body = row.startsWith("{") ? row.substring(1, row.length() - 1).trim() : row;
        return "{ enabled: true" + (body.contains("to:") && !body.contains("rules: [ { to:") ? ""
                : ", to: [quality@plant.example]") + ", " + body + " }";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            `smtp: { port: 70000 }`                         | plugins.email.smtp.port: 70000 is out of range
            `smtp: { host: \"\" }`                          | plugins.email.smtp.host: must not be empty
            `smtp: { starttls: true, ssl: true }`           | plugins.email.smtp.starttls: ssl (SMTPS
            `smtp: { password: secret }`                    | plugins.email.smtp.password: is set but username is empty
            `smtp: { trust-certificates: /x.pem }`          | plugins.email.smtp.trust-certificates: only applies to a TLS
            `smtp: { read-timeout: PT0S }`                  | plugins.email.smtp.read-timeout: must be longer than zero
            `from: not-an-address`                          | plugins.email.from: 'not-an-address' is not a mail address
            `public-url: ftp://spc.example`                 | plugins.email.public-url: 'ftp://spc.example' must be an http
            `link-template: \"{public-url}/{nope}\"`        | plugins.email.link-template: unknown placeholder {nope}
            `time-zone: Mars/Olympus`                       | plugins.email.time-zone: 'Mars/Olympus' is not a time zone
            `templates-dir: /nonexistent/templates`         | plugins.email.templates-dir: /nonexistent/templates is not a folder
            """)
    void aBadValueStopsTheStartNamingItsKey(String yaml, String message) {
        ConfigException e = assertThrows(ConfigException.class,
                                         () -> new EmailProvider().create(ConfigSections.email(yaml), null));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }
}
