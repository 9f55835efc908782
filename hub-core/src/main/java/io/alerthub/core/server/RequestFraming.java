package io.alerthub.core.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.RequestException;
import io.helidon.http.Status;

/**
 * How a request's body is delimited must be unambiguous (RFC 9112 section 6.3): one {@code Content-Length} of digits
 * (repeated only with the same value), or {@code Transfer-Encoding: chunked} alone. Anything else could be read one
 * way by a proxy and another by the hub, and what one reads as a body the other runs as a second request; it is
 * answered 400 and the connection closed.
 */
final class RequestFraming {

    private static final int MAX_DIGITS = 18;

    private RequestFraming() {
    }

    /**
     * @throws RequestException 400 (closing the connection) naming what is ambiguous
     */
    static void check(Headers headers, boolean http10) {
        List<String> lengths = values(headers.all(HeaderNames.CONTENT_LENGTH, List::of));
        List<String> codings = values(headers.all(HeaderNames.TRANSFER_ENCODING, List::of));
        if (!codings.isEmpty()) {
            if (!lengths.isEmpty()) {
                throw refuse("Transfer-Encoding and Content-Length must not be combined");
            }
            if (http10) {
                throw refuse("Transfer-Encoding is not allowed in an HTTP/1.0 request");
            }
            if (codings.size() != 1 || !codings.getFirst().toLowerCase(Locale.ROOT).equals("chunked")) {
                throw refuse("only Transfer-Encoding: chunked is supported (got " + String.join(", ", codings) + ")");
            }
            return;
        }
        String first = null;
        for (String length : lengths) {
            if (length.isEmpty() || length.length() > MAX_DIGITS || !digits(length)) {
                throw refuse("Content-Length must be a non-negative whole number");
            }
            if (first != null && !first.equals(length)) {
                throw refuse("Content-Length is given twice with different values");
            }
            first = length;
        }
    }

    /** The comma-separated elements of every field line, trimmed. */
    private static List<String> values(List<String> lines) {
        if (lines.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            for (String part : line.split(",", -1)) {
                out.add(part.trim());
            }
        }
        return out;
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static RequestException refuse(String message) {
        return RequestException.builder()
                .type(DirectHandler.EventType.BAD_REQUEST)
                .status(Status.BAD_REQUEST_400)
                .setKeepAlive(false)
                .safeMessage(true)
                .message("ambiguous request framing: " + message)
                .build();
    }
}
