package io.alerthub.mqtt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.embedded.EmbeddedHiveMQBuilder;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;

/**
 * HiveMQ Community Edition in this JVM: the broker of machines without Mosquitto. File persistence in the test's
 * folder keeps sessions across {@link #stop()} / {@link #start()}; users, when given, are checked by an
 * extension registered in-process.
 */
final class EmbeddedBroker extends OwnedBroker {

    private final Path dir;
    private final BrokerOptions options;
    private EmbeddedHiveMQ hivemq;

    EmbeddedBroker(Path dir, BrokerOptions options) {
        super(options);
        this.dir = dir;
        this.options = options;
        try {
            Files.createDirectories(dir.resolve("conf"));
            Files.createDirectories(dir.resolve("data"));
            Files.createDirectories(dir.resolve("extensions"));
            String tls = options.tls() == null ? "" : """
                        <tls-tcp-listener>
                            <port>%d</port>
                            <bind-address>127.0.0.1</bind-address>
                            <tls>
                                <keystore>
                                    <path>%s</path>
                                    <password>%s</password>
                                    <private-key-password>%s</private-key-password>
                                </keystore>
                                %s
                            </tls>
                        </tls-tcp-listener>
                    """.formatted(tlsPort, options.tls().pkcs12(), TestCertificates.PASSWORD,
                                  TestCertificates.PASSWORD, clientAuthentication(dir, options));
            Files.writeString(dir.resolve("conf/config.xml"), """
                    <?xml version="1.0"?>
                    <hivemq>
                        <listeners>
                            <tcp-listener>
                                <port>%d</port>
                                <bind-address>127.0.0.1</bind-address>
                            </tcp-listener>
                    %s    </listeners>
                        <persistence><mode>file</mode></persistence>
                    %s
                        <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                    </hivemq>
                    """.formatted(port, tls, mqtt(options)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    private static String clientAuthentication(Path dir, BrokerOptions options) throws IOException {
        if (options.clientCa() == null) {
            return "";
        }
        try {
            Path trust = TestCertificates.trustStore(dir, "clients", options.clientCa());
            return "<truststore><path>" + trust + "</path><password>" + TestCertificates.PASSWORD + "</password>"
                    + "</truststore><client-authentication-mode>REQUIRED</client-authentication-mode>";
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static String mqtt(BrokerOptions options) {
        String queues = options.unlimitedQueues()
                ? "<queued-messages><max-queue-size>10000000</max-queue-size></queued-messages>" : "";
        String packets = options.maxPacketSize() > 0
                ? "<packets><max-packet-size>" + options.maxPacketSize() + "</max-packet-size></packets>" : "";
        return queues.isEmpty() && packets.isEmpty() ? "" : "<mqtt>" + queues + packets + "</mqtt>";
    }

    @Override
    public synchronized void start() {
        if (hivemq != null) {
            return;
        }
        EmbeddedHiveMQBuilder builder = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(dir.resolve("conf"))
                .withDataFolder(dir.resolve("data"))
                .withExtensionsFolder(dir.resolve("extensions"))
                .withoutLoggingBootstrap();
        if (!options.users().isEmpty()) {
            builder.withEmbeddedExtension(EmbeddedExtension.builder()
                                                  .withId("test-users").withName("test users").withVersion("1")
                                                  .withPriority(0).withStartPriority(1000)
                                                  .withExtensionMain(new Users(options.users()))
                                                  .build());
        }
        hivemq = builder.build();
        try {
            hivemq.start().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("embedded HiveMQ did not start", e);
        }
    }

    @Override
    public synchronized void stop() {
        if (hivemq == null) {
            return;
        }
        try {
            hivemq.stop().get(60, TimeUnit.SECONDS);
            hivemq.close();
        } catch (Exception e) {
            throw new IllegalStateException("embedded HiveMQ did not stop", e);
        }
        hivemq = null;
    }

    @Override
    public String toString() {
        return "embedded HiveMQ " + uri();
    }

    /** Username and password checks, as a broker configured with users does them. */
    private record Users(Map<String, String> users) implements ExtensionMain {

        @Override
        public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
            Services.securityRegistry().setAuthenticatorProvider(in -> (SimpleAuthenticator) (auth, out) -> {
                String user = auth.getConnectPacket().getUserName().orElse(null);
                String password = auth.getConnectPacket().getPassword()
                        .map(b -> StandardCharsets.UTF_8.decode(b.duplicate()).toString()).orElse(null);
                if (user != null && password != null && password.equals(users.get(user))) {
                    out.authenticateSuccessfully();
                } else {
                    out.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
                }
            });
        }

        @Override
        public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
            // nothing to release
        }
    }
}
