package io.alerthub.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Reads one HTTP/1.1 response (Content-Length, chunked, or until close) from a buffered stream. */
final class HttpResponses {

    /** A response: its status, its body, and whether the server closes the connection after it. */
    record Response(int status, byte[] body, boolean closes) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private HttpResponses() {
    }

    static Response read(InputStream in) throws IOException {
        String status = line(in);
        if (status == null) {
            throw new IOException("the connection was closed");
        }
        if (!status.startsWith("HTTP/1.") || status.length() < 12) {
            throw new IOException("not an HTTP response: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closes = status.startsWith("HTTP/1.0");
        String header;
        while ((header = line(in)) != null && !header.isEmpty()) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.contains("chunked");
                case "connection" -> closes = value.equals("close");
                default -> {
                    // not needed
                }
            }
        }
        byte[] body;
        if (chunked) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (true) {
                String size = line(in);
                if (size == null) {
                    throw new IOException("the connection closed inside a chunked body");
                }
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    while ((header = line(in)) != null && !header.isEmpty()) {
                        // trailers are not needed
                    }
                    break;
                }
                b.write(in.readNBytes(n));
                line(in);
            }
            body = b.toByteArray();
        } else if (length >= 0) {
            body = in.readNBytes((int) length);
            if (body.length < length) {
                throw new IOException("the connection closed inside the body");
            }
        } else {
            body = in.readAllBytes();
            closes = true;
        }
        return new Response(code, body, closes);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int len = b.length();
                if (len > 0 && b.charAt(len - 1) == '\r') {
                    b.setLength(len - 1);
                }
                return b.toString();
            }
            b.append((char) c);
        }
        return b.isEmpty() ? null : b.toString();
    }
}
