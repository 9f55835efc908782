package io.alerthub.email;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.alerthub.spi.Health;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.alerthub.email.EmailTestHub.criticalViolation;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SMTPS against GreenMail with a certificate made for 127.0.0.1 (trusted through {@code trust-certificates}, host
 * name checked), STARTTLS insisted on against a server that does not offer it, and SMTP AUTH.
 */
class TlsAndLoginTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String QA = "quality@plant.example";

    @TempDir
    static Path certs;

    @TempDir
    Path dir;

    /** A self-signed certificate for 127.0.0.1, GreenMail's SMTPS key, and the certificate alone as PEM. */
    @BeforeAll
    static void certificate() throws Exception {
        Path store = certs.resolve("smtp.p12");
        keytool("-genkeypair", "-alias", "smtp", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "smtp", "-keystore", store.toString(), "-storepass", "changeit",
                "-file", certs.resolve("smtp.pem").toString());
        // Read once, when GreenMail makes its first TLS server socket in this JVM (only this class uses SMTPS).
        System.setProperty("greenmail.tls.keystore.file", store.toString());
        System.setProperty("greenmail.tls.keystore.password", "changeit");
        System.setProperty("greenmail.tls.key.password", "changeit");
    }

    @Test
    void smtpsWithTheServersCertificateTrustedDelivers() {
        try (TestSmtpServer smtp = TestSmtpServer.startedSmtps();
             EmailTestHub hub = hub(smtp, "ssl: true, trust-certificates: \"" + certs.resolve("smtp.pem") + "\"")) {
            hub.publish(criticalViolation(1, "7"));
            await().atMost(WAIT).until(() -> smtp.mailsFor(QA).size() == 1);
            assertEquals(Map.of(1L, 1), Mails.violationCounts(smtp.mailsFor(QA)));
            assertEquals(Health.State.UP, hub.email().state());
        }
    }

    @Test
    void smtpsWithAnUntrustedCertificateSendsNothing() {
        try (TestSmtpServer smtp = TestSmtpServer.startedSmtps(); EmailTestHub hub = hub(smtp, "ssl: true")) {
            hub.publish(criticalViolation(1, "7"));
            // GreenMail's connection thread dies with the handshake the client broke off: expected here.
            await().dontCatchUncaughtExceptions().atMost(WAIT).until(() -> refusing(hub));
            assertTrue(hub.email().reason().contains("PKIX"), hub.email().reason());
            assertEquals(1, hub.detail("pending_events"));
            assertTrue(smtp.all().isEmpty());
        }
    }

    @Test
    void starttlsIsRequiredWhenAskedForSoAServerWithoutItGetsNothingInClearText() {
        try (TestSmtpServer smtp = TestSmtpServer.started(); EmailTestHub hub = hub(smtp, "starttls: true")) {
            hub.publish(criticalViolation(1, "7"));
            await().atMost(WAIT).until(() -> refusing(hub));
            assertTrue(hub.email().reason().contains("STARTTLS"), hub.email().reason());
            assertEquals(1, hub.detail("pending_events"));
            assertTrue(smtp.all().isEmpty());
        }
    }

    @Test
    void theServerLoginIsUsedAndARefusedLoginIsReportedWithoutThePassword() {
        try (TestSmtpServer smtp = TestSmtpServer.started()) {
            smtp.greenMail().setUser("alerthub@plant.example", "alerthub", "s3cret-Pa55");
            try (EmailTestHub hub = hub(smtp, "username: alerthub, password: wrong-Pa55")) {
                hub.publish(criticalViolation(1, "7"));
                await().atMost(WAIT).until(() -> refusing(hub));
                assertTrue(hub.email().reason().contains("as alerthub refuses: login refused: 535"),
                           hub.email().reason());
                assertFalse(hub.email().reason().contains("wrong-Pa55") || hub.details().toString().contains("Pa55"));
                assertTrue(smtp.all().isEmpty());
            }
            try (EmailTestHub hub = hub(smtp, "username: alerthub, password: s3cret-Pa55")) {
                await().atMost(WAIT).until(() -> smtp.mailsFor(QA).size() == 1);
                assertEquals(Map.of(1L, 1), Mails.violationCounts(smtp.mailsFor(QA)),
                             "held through the refused login, sent after the restart with the right password");
            }
        }
    }

    /** A hub mailing through {@code smtp} with these extra {@code smtp} keys (inline YAML). */
    private EmailTestHub hub(TestSmtpServer smtp, String smtpKeys) {
        String yaml = EmailTestHub.emailYaml(smtp.port(),
                                             "to: [" + QA + "]\ngroup-window: PT0.1S\n")
                .replace("host: 127.0.0.1,", "host: 127.0.0.1, " + smtpKeys + ",");
        return EmailTestHub.start(dir.resolve("data"), yaml);
    }

    private static boolean refusing(EmailTestHub hub) {
        return hub.email().state() == Health.State.DEGRADED && hub.detail("send_failures") >= 1;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
        assertEquals(0, p.exitValue(), "keytool failed: " + out);
    }
}
