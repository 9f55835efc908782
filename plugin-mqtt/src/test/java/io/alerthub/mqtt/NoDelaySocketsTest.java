package io.alerthub.mqtt;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;

import javax.net.SocketFactory;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every socket the factories make has Nagle's algorithm off, however it is asked for (Paho asks unconnected). */
class NoDelaySocketsTest {

    @Test
    void plainSocketsHaveNoDelayUnconnectedAndConnected() throws IOException {
        SocketFactory factory = NoDelaySockets.plain();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 8, loopback)) {
            int port = server.getLocalPort();
            try (Socket unconnected = factory.createSocket()) {
                assertFalse(unconnected.isConnected());
                assertTrue(unconnected.getTcpNoDelay());
            }
            List<Socket> connected = List.of(factory.createSocket(loopback.getHostAddress(), port),
                                             factory.createSocket(loopback, port),
                                             factory.createSocket(loopback.getHostAddress(), port, loopback, 0),
                                             factory.createSocket(loopback, port, loopback, 0));
            for (Socket s : connected) {
                try (s; Socket accepted = server.accept()) {
                    assertTrue(s.isConnected());
                    assertTrue(s.getTcpNoDelay());
                    assertEquals(s.getLocalPort(), accepted.getPort());
                }
            }
        }
    }

    @Test
    void tlsSocketsHaveNoDelay() throws IOException {
        try (Socket unconnected = NoDelaySockets.tls(null).createSocket()) {
            assertTrue(unconnected.getTcpNoDelay());
        }
    }
}
