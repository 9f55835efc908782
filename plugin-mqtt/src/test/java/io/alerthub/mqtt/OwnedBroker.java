package io.alerthub.mqtt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A broker the test started on free loopback ports: a plain listener, and a TLS one when asked for. */
abstract class OwnedBroker implements TestBroker {

    final int port;
    final int tlsPort;

    OwnedBroker(BrokerOptions options) {
        this.port = freePort();
        this.tlsPort = options.tls() == null ? -1 : freePort();
    }

    @Override
    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public String tlsUri() {
        if (tlsPort < 0) {
            throw new IllegalStateException("started without TLS");
        }
        return "ssl://127.0.0.1:" + tlsPort;
    }

    @Override
    public void close() {
        stop();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
