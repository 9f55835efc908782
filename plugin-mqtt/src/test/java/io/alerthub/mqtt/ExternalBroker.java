package io.alerthub.mqtt;

/** The machine's own broker (Mosquitto on 1883): shared with everyone, so never stopped by a test. */
final class ExternalBroker implements TestBroker {

    private final String uri;

    ExternalBroker(String uri) {
        this.uri = uri;
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public String tlsUri() {
        throw new UnsupportedOperationException("the shared broker has no TLS listener");
    }

    @Override
    public void stop() {
        throw new UnsupportedOperationException("the shared broker is not the test's to stop");
    }

    @Override
    public void start() {
        // always running
    }

    @Override
    public void close() {
        // not ours
    }

    @Override
    public String toString() {
        return "shared broker " + uri;
    }
}
