package io.alerthub.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A keep-alive HTTP/1.1 connection that POSTs JSON and waits for each answer, written by hand over a socket: the
 * JDK's HttpClient does about 3,000 requests a second here, a tenth of what the hub takes, and the generator must
 * not be what limits ingest. Not thread-safe.
 */
final class HttpConnection implements AutoCloseable {

    private final String host;
    private final int port;
    private final byte[] head;
    private final ByteArrayOutputStream request = new ByteArrayOutputStream(4096);
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    HttpConnection(String host, int port, String path) {
        this.host = host;
        this.port = port;
        this.head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nContent-Type: application/json\r\nContent-Length: ").getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends {@code body} and reads the answer; connects first if needed. */
    HttpResponses.Response post(byte[] body) {
        try {
            if (socket == null) {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(host, port), 10_000);
                socket.setSoTimeout(60_000);
                out = socket.getOutputStream();
                in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            }
            request.reset();
            request.write(head);
            request.write((body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            request.write(body);
            request.writeTo(out);
            out.flush();
            HttpResponses.Response r = HttpResponses.read(in);
            if (r.closes()) {
                close();
            }
            return r;
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("POST to " + host + ":" + port + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
            socket = null;
        }
    }
}
