package io.alerthub.email;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A real SMTP server (started before each test) and a real hub with the email plugin pointed at it. */
abstract class HubAndSmtpTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String QA = "quality@plant.example";

    @TempDir
    Path dir;

    TestSmtpServer smtp;
    EmailTestHub hub;

    @BeforeEach
    void smtpUp() {
        smtp = TestSmtpServer.started();
    }

    @AfterEach
    void stopAll() {
        if (hub != null) {
            hub.close();
        }
        smtp.close();
    }

    /**
     * Starts the hub (data in this test's folder) with the common email keys and {@code extraYaml}.
     */
    EmailTestHub startHub(String extraYaml) {
        hub = EmailTestHub.start(dir.resolve("data"), EmailTestHub.emailYaml(smtp.port(), extraYaml));
        return hub;
    }

    /** Stops the hub gracefully (a restart follows). */
    void stopHub() {
        hub.close();
        hub = null;
    }
}
