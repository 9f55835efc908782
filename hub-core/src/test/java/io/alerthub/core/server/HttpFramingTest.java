package io.alerthub.core.server;

import java.time.Duration;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import io.alerthub.core.testing.RawHttp;
import io.alerthub.core.testing.SharedHub;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Request smuggling through the HTTP/1 layer (RFC 9112 section 6.3): a request whose framing is ambiguous is
 * answered 400 and its connection closed, so that nothing hidden in its body runs as a second request.
 */
class HttpFramingTest {

    /** A whole request that must never run: it would publish an event of type {@code smuggled}. */
    private static final String HIDDEN = "POST /api/v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Content-Length: 37\r\n\r\n{\"type\":\"smuggled\",\"payload\":{\"a\":1}}";

    @RegisterExtension
    static final SharedHub SHARED = SharedHub.of("", "", "");

    static Stream<Arguments> ambiguous() {
        String post = "POST /api/v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
        String chunked = "0\r\n\r\n" + HIDDEN;
        return Stream.of(
                Arguments.of("Content-Length and Transfer-Encoding: chunked",
                             post + "Content-Length: " + 5 + "\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked),
                Arguments.of("Transfer-Encoding: chunked and Content-Length",
                             post + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n" + chunked),
                Arguments.of("two different Content-Lengths",
                             post + "Content-Length: 0\r\nContent-Length: " + HIDDEN.length() + "\r\n\r\n" + HIDDEN),
                Arguments.of("two different Content-Lengths in one header",
                             post + "Content-Length: 0, " + HIDDEN.length() + "\r\n\r\n" + HIDDEN),
                Arguments.of("an unknown Transfer-Encoding with a Content-Length",
                             post + "Transfer-Encoding: gzip\r\nContent-Length: 0\r\n\r\n" + HIDDEN),
                Arguments.of("an unknown Transfer-Encoding alone",
                             post + "Transfer-Encoding: identity\r\n\r\n" + HIDDEN),
                Arguments.of("chunked not the last coding",
                             post + "Transfer-Encoding: chunked, gzip\r\n\r\n" + chunked),
                Arguments.of("a negative Content-Length",
                             post + "Content-Length: -1\r\n\r\n" + HIDDEN),
                Arguments.of("a Content-Length that is not a number",
                             post + "Content-Length: 1e3\r\n\r\n" + HIDDEN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ambiguous")
    void ambiguousFramingIsRefusedAndTheConnectionClosed(String name, String request) {
        RawHttp.Transcript t;
        try (RawHttp c = RawHttp.connect(SHARED.hub().port(), Duration.ofSeconds(10))) {
            t = c.send(request).readToEnd();
        }
        assertEquals(400, t.status(), t.text());
        assertEquals(1, t.responses(), "a hidden request ran:\n" + t.text());
        assertTrue(t.closed(), "the connection stays open after ambiguous framing:\n" + t.text());
        assertTrue(t.text().contains("\"error\""), t.text());
        assertNothingSmuggled();
    }

    @Test
    void anUnreadBodyWithConnectionCloseIsNotReadAsARequest() {
        RawHttp.Transcript t;
        try (RawHttp c = RawHttp.connect(SHARED.hub().port(), Duration.ofSeconds(10))) {
            t = c.send("GET /api/v1/plugins HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: "
                               + HIDDEN.length() + "\r\n\r\n" + HIDDEN).readToEnd();
        }
        assertEquals(1, t.responses(), "a hidden request ran:\n" + t.text());
        assertTrue(t.closed(), t.text());
        assertNothingSmuggled();
    }

    @Test
    void requestsAfterConnectionCloseAreNotRun() {
        RawHttp.Transcript t;
        try (RawHttp c = RawHttp.connect(SHARED.hub().port(), Duration.ofSeconds(10))) {
            t = c.send("GET /api/v1/plugins HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" + HIDDEN).readToEnd();
        }
        assertEquals(1, t.responses(), "a request after Connection: close ran:\n" + t.text());
        assertNothingSmuggled();
    }

    @Test
    void aNegativeContentLengthIsABadRequestWithoutASevereLog() {
        Recorded severe = Recorded.attach();
        RawHttp.Transcript t;
        try (RawHttp c = RawHttp.connect(SHARED.hub().port(), Duration.ofSeconds(10))) {
            t = c.send("POST /api/v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                               + "Content-Length: -5\r\n\r\n").readToEnd();
        } finally {
            severe.detach();
        }
        assertEquals(400, t.status(), t.text());
        assertFalse(severe.any(), "logged at SEVERE: " + severe.first());
    }

    @Test
    void aNegativeContentLengthOnARouteThatDoesNotReadTheBodyIsABadRequest() {
        Recorded severe = Recorded.attach();
        RawHttp.Transcript t;
        try (RawHttp c = RawHttp.connect(SHARED.hub().port(), Duration.ofSeconds(10))) {
            t = c.send("GET /api/v1/plugins HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n").readToEnd();
        } finally {
            severe.detach();
        }
        assertEquals(400, t.status(), t.text());
        assertTrue(t.text().contains("Content-Length"), t.text());
        assertFalse(severe.any(), "logged at SEVERE: " + severe.first());
    }

    private static void assertNothingSmuggled() {
        String events = SHARED.hub().get("/api/v1/events?since=0&type=smuggled").body();
        assertFalse(events.contains("smuggled"), "the hidden request published an event: " + events);
    }

    /** Records SEVERE log records of every logger while attached. */
    static final class Recorded extends Handler {
        private volatile LogRecord first;

        static Recorded attach() {
            Recorded r = new Recorded();
            Logger.getLogger("").addHandler(r);
            return r;
        }

        void detach() {
            Logger.getLogger("").removeHandler(this);
        }

        boolean any() {
            return first != null;
        }

        String first() {
            LogRecord r = first;
            return r == null ? "" : r.getLoggerName() + ": " + r.getMessage() + " " + r.getThrown();
        }

        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue() && first == null) {
                first = record;
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
