package io.alerthub.mqtt;

/** An MQTT 5 broker a test publishes through: the machine's Mosquitto, a private one, or HiveMQ in-process. */
interface TestBroker extends AutoCloseable {

    /** {@code tcp://127.0.0.1:<port>}. */
    String uri();

    default int port() {
        return java.net.URI.create(uri()).getPort();
    }

    /** {@code ssl://127.0.0.1:<port>}, for a broker started with a TLS listener. */
    String tlsUri();

    /** Stops the broker (only brokers the test owns). Sessions and retained messages are kept for {@link #start()}. */
    void stop();

    /** Starts it again on the same ports. */
    void start();

    @Override
    void close();
}
