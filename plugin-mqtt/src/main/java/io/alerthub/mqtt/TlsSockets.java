package io.alerthub.mqtt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import io.alerthub.spi.PemTrust;

/**
 * The socket factory for an {@code ssl://} broker, built from the configured trust store (PKCS#12, JKS or a PEM
 * file of CA certificates) and optional key store (the hub's client certificate). Read at each connection
 * attempt, so a replaced file is picked up without a restart.
 */
final class TlsSockets {

    private TlsSockets() {
    }

    /**
     * @return the factory, or {@code null} when neither store is configured (the JVM's defaults apply)
     * @throws StoreException naming the file that could not be used
     */
    static SSLSocketFactory factory(MqttSettings.Tls tls) throws StoreException {
        if (tls.trustStore().isEmpty() && tls.keyStore().isEmpty()) {
            return null;
        }
        TrustManagerFactory trust = null;
        if (tls.trustStore().isPresent()) {
            Path path = tls.trustStore().get();
            try {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(load(path, tls.trustStorePassword()));
            } catch (IOException | GeneralSecurityException e) {
                throw new StoreException("trust-store " + path + " cannot be used: " + message(e));
            }
        }
        KeyManagerFactory keys = null;
        if (tls.keyStore().isPresent()) {
            Path path = tls.keyStore().get();
            try {
                char[] password = tls.keyStorePassword().toCharArray();
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(load(path, tls.keyStorePassword()), password);
            } catch (IOException | GeneralSecurityException e) {
                throw new StoreException("key-store " + path + " cannot be used: " + message(e));
            }
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(),
                         null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new StoreException("TLS cannot be set up: " + message(e));
        }
    }

    private static KeyStore load(Path path, String password) throws IOException, GeneralSecurityException {
        byte[] bytes = Files.readAllBytes(path);
        if (new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.US_ASCII).contains("-----BEGIN")) {
            return PemTrust.trustStore(path);
        }
        char[] chars = password.isEmpty() ? null : password.toCharArray();
        try {
            return KeyStore.getInstance(path.toFile(), chars);
        } finally {
            if (chars != null) {
                Arrays.fill(chars, '\0');
            }
        }
    }

    private static String message(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /** A store that cannot be read or does not fit: it will not get better without the operator. */
    static final class StoreException extends Exception {
        StoreException(String message) {
            super(message, null, false, false);
        }
    }
}
