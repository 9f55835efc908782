package io.alerthub.core.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;

import io.alerthub.core.config.ServerSettings;
import io.alerthub.spi.ConfigException;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import io.helidon.webserver.WebServer;

/**
 * The listener's TLS from {@code server.tls}: a PEM certificate chain and its private key, read with Helidon's PEM
 * reader and checked to belong together (the key signs, the certificate's public key verifies), so that a wrong or
 * unreadable file stops the start naming its key rather than failing every handshake later.
 */
public final class TlsFiles {

    private static final System.Logger LOG = System.getLogger(TlsFiles.class.getName());

    static final String CERT_KEY = "server.tls.cert-file";
    static final String KEY_KEY = "server.tls.key-file";

    private final Path certFile;
    private final Path keyFile;

    public TlsFiles(ServerSettings.Tls settings) {
        this.certFile = settings.certFile();
        this.keyFile = settings.keyFile();
    }

    /**
     * @throws ConfigException naming {@code server.tls.cert-file} or {@code server.tls.key-file}
     */
    public Tls load() {
        readable(certFile, CERT_KEY);
        readable(keyFile, KEY_KEY);
        List<X509Certificate> chain;
        try {
            chain = Keys.builder().pem(p -> p.certChain(Resource.create(certFile))).build().certChain();
        } catch (RuntimeException e) {
            throw new ConfigException(CERT_KEY, certFile + " is not a PEM certificate: " + e.getMessage());
        }
        if (chain.isEmpty()) {
            throw new ConfigException(CERT_KEY, certFile + " holds no certificate (-----BEGIN CERTIFICATE-----)");
        }
        PrivateKey key;
        try {
            key = Keys.builder().pem(p -> p.key(Resource.create(keyFile))).build().privateKey()
                    .orElseThrow(() -> new IllegalArgumentException("no private key in it"));
        } catch (RuntimeException e) {
            throw new ConfigException(KEY_KEY, keyFile + " is not a PEM private key: " + e.getMessage());
        }
        if (!matches(key, chain.getFirst().getPublicKey())) {
            throw new ConfigException(KEY_KEY, keyFile + " does not match the certificate in " + certFile);
        }
        return Tls.builder()
                .privateKey(key)
                .privateKeyCertChain(chain)
                .build();
    }

    /**
     * Checks the files every {@code reload-interval} while {@code server} runs and serves a changed certificate without
     * a restart (new connections get it; open ones keep theirs). A change that does not load is logged and the
     * certificate in use is kept.
     */
    public static void reloadLoop(ServerSettings.Tls settings, WebServer server) {
        if (settings.reloadInterval().isZero()) {
            return;
        }
        TlsFiles files = new TlsFiles(settings);
        Thread.ofVirtual().name("tls-reload").start(() -> {
            FileTime seen = files.lastModified();
            while (server.isRunning()) {
                try {
                    Thread.sleep(settings.reloadInterval());
                } catch (InterruptedException e) {
                    return;
                }
                FileTime now = files.lastModified();
                if (now.equals(seen) || !server.isRunning()) {
                    continue;
                }
                seen = now;
                try {
                    server.reloadTls(files.load());
                    LOG.log(System.Logger.Level.INFO, "TLS certificate reloaded from " + settings.certFile());
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "TLS certificate not reloaded (the one in use stays): "
                            + e.getMessage());
                }
            }
        });
    }

    /** When either file last changed, for a reload. */
    public FileTime lastModified() {
        try {
            FileTime a = Files.getLastModifiedTime(certFile);
            FileTime b = Files.getLastModifiedTime(keyFile);
            return a.compareTo(b) >= 0 ? a : b;
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static void readable(Path file, String key) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(key, file + " does not exist or is not a file");
        }
        if (!Files.isReadable(file)) {
            throw new ConfigException(key, file + " cannot be read (permissions)");
        }
    }

    /** Whether the key signs what the public key verifies. */
    private static boolean matches(PrivateKey key, PublicKey pub) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null || !key.getAlgorithm().equals(pub.getAlgorithm())
                && !(key.getAlgorithm().startsWith("Ed") && pub.getAlgorithm().startsWith("Ed"))) {
            return false;
        }
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(probe);
            byte[] signature = s.sign();
            Signature v = Signature.getInstance(algorithm);
            v.initVerify(pub);
            v.update(probe);
            return v.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
