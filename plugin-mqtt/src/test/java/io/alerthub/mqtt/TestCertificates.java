package io.alerthub.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Self-signed certificates for TLS tests, made with the JDK's keytool (no openssl needed). */
final class TestCertificates {

    static final String PASSWORD = "changeit";

    /**
     * A broker's certificate for 127.0.0.1 and localhost, in every form a broker or the hub reads.
     *
     * @param pkcs12  key and certificate (HiveMQ's keystore)
     * @param certPem the certificate (Mosquitto's certfile; also a trust store that trusts this broker)
     * @param keyPem  the private key, PKCS#8 (Mosquitto's keyfile)
     */
    record Server(Path pkcs12, Path certPem, Path keyPem) {
    }

    private TestCertificates() {
    }

    static Server server(Path dir, String name) throws IOException, InterruptedException, GeneralSecurityException {
        Path p12 = dir.resolve(name + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", name, "-keyalg", "EC",
                                                     "-groupname", "secp256r1", "-dname", "CN=" + name + ".test",
                                                     "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "7",
                                                     "-keystore", p12.toString(), "-storetype", "PKCS12",
                                                     "-storepass", PASSWORD, "-keypass", PASSWORD))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + "-keytool.log").toFile())
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("keytool failed: " + Files.readString(dir.resolve(name + "-keytool.log")));
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            store.load(in, PASSWORD.toCharArray());
        }
        Certificate cert = store.getCertificate(name);
        Key key = store.getKey(name, PASSWORD.toCharArray());
        Path certPem = dir.resolve(name + ".crt");
        Path keyPem = dir.resolve(name + ".key");
        Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()), StandardCharsets.US_ASCII);
        Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
        return new Server(p12, certPem, keyPem);
    }

    /** A PKCS#12 trust store holding {@code server}'s certificate. */
    static Path trustStore(Path dir, String name, Server server) throws IOException, GeneralSecurityException {
        KeyStore source = KeyStore.getInstance(server.pkcs12().toFile(), PASSWORD.toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        String alias = source.aliases().nextElement();
        trust.setCertificateEntry(alias, source.getCertificate(alias));
        Path out = dir.resolve(name + "-trust.p12");
        try (var os = Files.newOutputStream(out)) {
            trust.store(os, PASSWORD.toCharArray());
        }
        return out;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
