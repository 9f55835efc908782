package io.alerthub.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 over a plain socket, byte for byte as an attacker writes it: for what a well-behaved client never sends
 * (ambiguous framing, a body that trickles, headers that never end).
 */
public final class RawHttp implements AutoCloseable {

    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3})");

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    /** Connects to 127.0.0.1:{@code port}; reads give up after {@code readTimeout}. */
    public static RawHttp connect(int port, Duration readTimeout) {
        try {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout((int) readTimeout.toMillis());
            return new RawHttp(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code text} (ISO-8859-1, so every char is one byte) and flushes. */
    public RawHttp send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHttp send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a write still goes through (false once the server has closed and reset the connection). */
    public boolean trySend(String text) {
        try {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Everything the server writes until it closes the connection, or until the read timeout (then {@code timedOut}
     * is true: the connection was still open).
     */
    public Transcript readToEnd() {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                seen.write(buf, 0, n);
            }
            return new Transcript(seen.toString(StandardCharsets.ISO_8859_1), false);
        } catch (SocketTimeoutException e) {
            return new Transcript(seen.toString(StandardCharsets.ISO_8859_1), true);
        } catch (IOException e) {
            // a reset after the answer: the server closed with unread data in its buffer
            return new Transcript(seen.toString(StandardCharsets.ISO_8859_1), false);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /**
     * What came back on one connection.
     *
     * @param text     the bytes as ISO-8859-1
     * @param timedOut whether the connection was still open at the end
     */
    public record Transcript(String text, boolean timedOut) {

        /** How many HTTP responses the text holds (status lines). */
        public int responses() {
            Matcher m = STATUS.matcher(text);
            int n = 0;
            while (m.find()) {
                n++;
            }
            return n;
        }

        /** The first response's status, or -1 when there was none. */
        public int status() {
            Matcher m = STATUS.matcher(text);
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        }

        /** Whether the server closed the connection (rather than the read timing out). */
        public boolean closed() {
            return !timedOut;
        }
    }
}
