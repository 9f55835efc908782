package io.alerthub.core.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.alerthub.core.Hub;
import io.alerthub.core.config.HubConfig;
import io.alerthub.core.testing.ClusterYaml;
import io.alerthub.core.testing.NatsServer;
import io.alerthub.core.testing.TestHub;
import io.alerthub.spi.ConfigException;
import io.alerthub.spi.PemTrust;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The engine's login and TLS options against NATS servers of the test's own: a token, a user and password, a server
 * certificate from a private CA. The right ones start a hub that accepts events; a wrong one stops the start naming
 * its key.
 */
class EngineLoginTest {

    @TempDir
    Path dir;
    private NatsServer engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    private HubConfig config(String url, String extra) {
        return HubConfig.fromYaml("server: { port: 0 }\nhub:\n  data-dir: \"" + dir.resolve("hub") + "\"\n"
                                          + ClusterYaml.section(url, ClusterYaml.privateStream("login"), "a",
                                                                Duration.ofSeconds(2))
                                          + extra);
    }

    private void acceptsEvents(HubConfig config) {
        try (TestHub hub = TestHub.start(config)) {
            assertEquals(1, hub.publish("{\"type\":\"sample\",\"payload\":{}}").size());
        }
    }

    @Test
    void aTokenOrAUserLogsIn() {
        engine = NatsServer.start(dir.resolve("token"), List.of("--auth", "engine-token-123"),
                                  b -> b.token("engine-token-123".toCharArray()));
        acceptsEvents(config(engine.url(), "  token: engine-token-123\n"));
        ConfigException wrong = assertThrows(ConfigException.class,
                                             () -> Hub.start(config(engine.url(), "  token: nope\n")).close());
        assertEquals("cluster.token", wrong.key());
        engine.close();

        engine = NatsServer.start(dir.resolve("user"), List.of("--user", "hub", "--pass", "pw-123"),
                                  b -> b.userInfo("hub", "pw-123"));
        acceptsEvents(config(engine.url(), "  username: hub\n  password: pw-123\n"));
        ConfigException bad = assertThrows(ConfigException.class,
                                           () -> Hub.start(config(engine.url(), "  username: hub\n  password: x\n"))
                                                   .close());
        assertEquals("cluster.username", bad.key());
    }

    @Test
    void tlsWithTheServersCaFile() throws Exception {
        Path cert = dir.resolve("server.pem");
        Path key = dir.resolve("server-key.pem");
        selfSigned(cert, key);
        engine = NatsServer.start(dir.resolve("tls"), List.of("--tls", "--tlscert", cert.toString(), "--tlskey",
                                                              key.toString()),
                                  b -> b.sslContext(trusting(cert)));
        String url = "tls://127.0.0.1:" + engine.port();
        acceptsEvents(config(url, "  tls: { ca-file: \"" + cert + "\" }\n"));
        ConfigException untrusted = assertThrows(ConfigException.class, () -> Hub.start(config(url, "")).close());
        assertEquals("cluster.tls.ca-file", untrusted.key());
    }

    /** A self-signed certificate for 127.0.0.1 (its own CA), made with openssl. */
    private static void selfSigned(Path cert, Path key) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                                   "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                                   "-keyout", key.toString(), "-out", cert.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "openssl is not installed: the TLS case needs it to make a certificate");
            return;
        }
        p.getInputStream().transferTo(OutputStream.nullOutputStream());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        assertTrue(Files.size(cert) > 0);
    }

    private static SSLContext trusting(Path cert) {
        try {
            KeyStore trust = PemTrust.trustStore(cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
