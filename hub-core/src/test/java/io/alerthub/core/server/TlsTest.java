package io.alerthub.core.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;

import io.alerthub.core.Hub;
import io.alerthub.core.config.HubConfig;
import io.alerthub.spi.ConfigException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code server.tls}: HTTPS from PEM files the test makes (with the JDK's keytool), refusals that name the key. */
class TlsTest {

    /** A self-signed certificate and its key, as PEM files. */
    record Pem(Path cert, Path key, X509Certificate certificate) {
    }

    @Test
    void servesHttpsWithThePemCertificateAndReloadsAChangedOne(@TempDir Path dir) throws Exception {
        Pem first = selfSigned(dir, "first");
        Path cert = dir.resolve("hub.pem");
        Path key = dir.resolve("hub-key.pem");
        Files.copy(first.cert(), cert);
        Files.copy(first.key(), key);
        try (Hub hub = Hub.start(config(dir, cert, key, "PT0.2S"))) {
            HttpResponse<String> r = client(first.certificate()).send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + hub.port() + "/api/v1/plugins")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals(first.certificate(), served(r));

            Pem second = selfSigned(dir, "second");
            Files.copy(second.cert(), cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(second.key(), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(cert, FileTime.from(Instant.now().plusSeconds(5)));
            HttpClient trustsSecond = client(second.certificate());
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> second.certificate().equals(served(
                    trustsSecond.send(HttpRequest.newBuilder(URI.create("https://localhost:" + hub.port()
                                                                                 + "/api/v1/plugins")).build(),
                                      HttpResponse.BodyHandlers.ofString()))));
        }
    }

    @Test
    void plainHttpIsNotServedOnATlsListener(@TempDir Path dir) throws Exception {
        Pem pem = selfSigned(dir, "only");
        try (Hub hub = Hub.start(config(dir, pem.cert(), pem.key(), "PT0S"))) {
            assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + "/api/v1/plugins"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
        }
    }

    @Test
    void aKeyThatDoesNotMatchTheCertificateStopsTheStartNamingTheKey(@TempDir Path dir) throws Exception {
        Pem a = selfSigned(dir, "a");
        Pem b = selfSigned(dir, "b");
        ConfigException e = assertThrows(ConfigException.class, () -> Hub.start(config(dir, a.cert(), b.key(), "PT0S")));
        assertTrue(e.getMessage().contains("server.tls.key-file"), e.getMessage());
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    }

    @Test
    void anUnreadableOrMissingFileStopsTheStartNamingItsKey(@TempDir Path dir) throws Exception {
        Pem a = selfSigned(dir, "a");
        ConfigException missing = assertThrows(ConfigException.class,
                                               () -> Hub.start(config(dir, dir.resolve("nope.pem"), a.key(), "PT0S")));
        assertTrue(missing.getMessage().contains("server.tls.cert-file"), missing.getMessage());
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a key");
        ConfigException bad = assertThrows(ConfigException.class,
                                           () -> Hub.start(config(dir, a.cert(), garbage, "PT0S")));
        assertTrue(bad.getMessage().contains("server.tls.key-file"), bad.getMessage());
    }

    private static HubConfig config(Path dir, Path cert, Path key, String reload) {
        return HubConfig.fromYaml("""
                server:
                  port: 0
                  tls: { cert-file: "%s", key-file: "%s", reload-interval: %s }
                hub:
                  data-dir: "%s"
                """.formatted(cert, key, reload, dir.resolve("data")));
    }

    private static X509Certificate served(HttpResponse<?> r) throws Exception {
        SSLSession session = r.sslSession().orElseThrow();
        return (X509Certificate) session.getPeerCertificates()[0];
    }

    private static HttpClient client(X509Certificate trusted) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("hub", trusted);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** keytool makes an RSA key and a self-signed certificate for localhost; both are written out as PEM. */
    static Pem selfSigned(Path dir, String name) throws Exception {
        Path store = dir.resolve(name + ".p12");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                                               "-genkeypair", "-alias", "hub", "-keyalg", "RSA", "-keysize", "2048",
                                               "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                                               "-validity", "2", "-storetype", "PKCS12", "-keystore",
                                               store.toString(), "-storepass", "changeit", "-keypass", "changeit"))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        Certificate cert = ks.getCertificate("hub");
        byte[] key = ks.getKey("hub", "changeit".toCharArray()).getEncoded();
        Path certFile = Files.writeString(dir.resolve(name + ".pem"), pem("CERTIFICATE", cert.getEncoded()));
        Path keyFile = Files.writeString(dir.resolve(name + "-key.pem"), pem("PRIVATE KEY", key));
        return new Pem(certFile, keyFile, (X509Certificate) cert);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
