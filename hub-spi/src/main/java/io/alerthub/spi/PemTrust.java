package io.alerthub.spi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * Certificates to trust, from a PEM file (one or more {@code -----BEGIN CERTIFICATE-----} blocks): what a plugin
 * needs to reach a broker or server whose certificate a private CA signed.
 */
public final class PemTrust {

    private PemTrust() {
    }

    /**
     * A key store holding every certificate of the file, for a {@link javax.net.ssl.TrustManagerFactory}.
     *
     * @throws GeneralSecurityException when the file holds no certificate or one that does not parse
     * @throws IOException              when it cannot be read
     */
    public static KeyStore trustStore(Path pemFile) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(pemFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("no certificate in it (PEM expected)");
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (Certificate c : certificates) {
            store.setCertificateEntry("trusted-" + i++, c);
        }
        return store;
    }
}
