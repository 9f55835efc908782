package io.alerthub.email;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import io.alerthub.spi.PemTrust;
import io.alerthub.spi.ConfigNode;

/**
 * {@code plugins.email.smtp}: where mail goes and how the connection is secured.
 *
 * @param host           the SMTP server
 * @param port           its port (default 25, or 465 with {@code ssl})
 * @param starttls       upgrade the connection with STARTTLS, and refuse to send when the server does not offer it
 * @param ssl            SMTPS: TLS from the first byte (usually port 465)
 * @param username       log in as this user; empty = no login
 * @param password       the password (never logged, never in {@link #toString()})
 * @param trustedCerts   certificates (PEM) to trust in place of the JDK's CAs, for a server with a private CA or a
 *                       self-signed certificate; the host name is checked against the certificate either way
 * @param connectTimeout how long a connection may take
 * @param readTimeout    how long the server may take to answer a command
 * @param writeTimeout   how long a write to the server may block
 */
record SmtpSettings(String host, int port, boolean starttls, boolean ssl, String username, String password,
                    Optional<SSLSocketFactory> trustedCerts, Duration connectTimeout, Duration readTimeout,
                    Duration writeTimeout) {

    static SmtpSettings create(ConfigNode c) {
        String host = c.string("host", "127.0.0.1").trim();
        if (host.isEmpty()) {
            throw c.error("host", "must not be empty");
        }
        boolean starttls = c.bool("starttls", false);
        boolean ssl = c.bool("ssl", false);
        if (starttls && ssl) {
            throw c.error("starttls", "ssl (SMTPS, TLS from the start) and starttls (upgrade a plain connection)"
                    + " exclude each other: choose one");
        }
        int port = c.integer("port", ssl ? 465 : 25, 1, 65_535);
        String username = c.string("username", "");
        String password = c.string("password", "");
        if (username.isBlank() && !password.isEmpty()) {
            throw c.error("password", "is set but username is empty");
        }
        Optional<SSLSocketFactory> trusted = Optional.empty();
        if (!c.string("trust-certificates", "").isBlank()) {
            Path file = c.path("trust-certificates", "");
            if (!starttls && !ssl) {
                throw c.error("trust-certificates", "only applies to a TLS connection: set starttls or ssl");
            }
            try {
                trusted = Optional.of(socketFactory(file));
            } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                throw c.error("trust-certificates", "cannot read " + file + ": " + e.getMessage());
            }
        }
        return new SmtpSettings(host, port, starttls, ssl, username.trim(), password, trusted,
                                c.positiveDuration("connect-timeout", Duration.ofSeconds(10)),
                                c.positiveDuration("read-timeout", Duration.ofSeconds(30)),
                                c.positiveDuration("write-timeout", Duration.ofSeconds(30)));
    }

    /** {@code smtp} or {@code smtps}: Jakarta Mail's protocol name, also the prefix of its session properties. */
    String protocol() {
        return ssl ? "smtps" : "smtp";
    }

    /** The Jakarta Mail session properties for this server (no password: it is given at connect). */
    Properties sessionProperties(String envelopeFrom) {
        String p = "mail." + protocol() + ".";
        Properties props = new Properties();
        props.setProperty(p + "host", host);
        props.setProperty(p + "port", Integer.toString(port));
        props.setProperty(p + "connectiontimeout", Long.toString(connectTimeout.toMillis()));
        props.setProperty(p + "timeout", Long.toString(readTimeout.toMillis()));
        props.setProperty(p + "writetimeout", Long.toString(writeTimeout.toMillis()));
        props.setProperty(p + "auth", Boolean.toString(!username.isEmpty()));
        props.setProperty(p + "from", envelopeFrom);
        // Mail the recipients the server accepts even when it refuses others: one bad address must not block the rest.
        props.setProperty(p + "sendpartial", "true");
        props.setProperty(p + "quitwait", "false");
        props.setProperty(p + "ssl.checkserveridentity", "true");
        if (starttls) {
            props.setProperty(p + "starttls.enable", "true");
            // Asked for TLS means never fall back to clear text.
            props.setProperty(p + "starttls.required", "true");
        }
        if (ssl) {
            props.setProperty(p + "ssl.enable", "true");
        }
        trustedCerts.ifPresent(f -> props.put(p + "ssl.socketFactory", f));
        return props;
    }

    /** {@code smtp://host:port (STARTTLS)}: for logs. */
    String describe() {
        return protocol() + "://" + host + ":" + port + (starttls ? " (STARTTLS)" : "")
                + (username.isEmpty() ? "" : " as " + username);
    }

    private static SSLSocketFactory socketFactory(Path file) throws IOException, GeneralSecurityException {
        KeyStore store = PemTrust.trustStore(file);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context.getSocketFactory();
    }

    @Override
    public String toString() {
        return "SmtpSettings[" + describe() + (password.isEmpty() ? "" : ", password set") + "]";
    }
}
