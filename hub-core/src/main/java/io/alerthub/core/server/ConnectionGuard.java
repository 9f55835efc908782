package io.alerthub.core.server;

import java.time.Duration;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http1.Http1ConnectionListener;

/**
 * Keeps slow or ambiguous clients from holding the listener: a request's line and headers must arrive within
 * {@code server.header-timeout} of its first byte (a slowloris client sending a header line every few seconds is cut),
 * a published body within {@code server.body-timeout} ({@link #bodyDeadline()}), its framing must be unambiguous
 * ({@link RequestFraming}), and a connection whose client said {@code Connection: close} ends after its answer
 * (Helidon 4.5 reads on, and runs an unread body as the next request).
 *
 * <p>Registered with Helidon's HTTP/1 connection as a receive and a send listener. Helidon serves each connection on
 * its own thread and calls these listeners and the route handlers on it, so a connection's state is a thread-local.
 * One watchdog thread cuts the sockets whose deadline passed; a cut is counted, and logged at most once a minute.
 */
public final class ConnectionGuard implements Http1ConnectionListener, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ConnectionGuard.class.getName());
    private static final ThreadLocal<State> STATE = new ThreadLocal<>();
    private static final long TICK_MILLIS = 200;
    private static final long LOG_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    /** One connection, seen from its own thread. */
    private static final class State {
        final ConnectionGuard guard;
        final ConnectionContext ctx;
        boolean inRequest;
        boolean upgraded;
        boolean http10;
        Deadline armed;

        State(ConnectionGuard guard, ConnectionContext ctx) {
            this.guard = guard;
            this.ctx = ctx;
        }
    }

    /** A socket to cut at {@code at} (System.nanoTime) unless disarmed first. */
    private static final class Deadline {
        final ConnectionContext ctx;
        final long at;
        final String phase;

        Deadline(ConnectionContext ctx, long at, String phase) {
            this.ctx = ctx;
            this.at = at;
            this.phase = phase;
        }
    }

    /** Disarms a deadline; nothing to throw. */
    public interface Disarm extends AutoCloseable {
        @Override
        void close();
    }

    private static final Disarm NOTHING = () -> { };

    private final long headerNanos;
    private final long bodyNanos;
    private final Set<Deadline> armed = ConcurrentHashMap.newKeySet();
    private final AtomicLong cutHeaders = new AtomicLong();
    private final AtomicLong cutBodies = new AtomicLong();
    private final Thread watchdog;
    private long lastLog;
    private long loggedCuts;

    public ConnectionGuard(Duration headerTimeout, Duration bodyTimeout) {
        this.headerNanos = headerTimeout.toNanos();
        this.bodyNanos = bodyTimeout.toNanos();
        this.watchdog = Thread.ofPlatform().daemon().name("connection-deadlines").start(this::watch);
    }

    // ---- Helidon's callbacks, on the connection's thread ----

    @Override
    public void data(ConnectionContext ctx, BufferData data) {
        started(ctx);
    }

    @Override
    public void data(ConnectionContext ctx, byte[] bytes, int offset, int length) {
        started(ctx);
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        State s = state(ctx);
        s.http10 = "1.0".equals(prologue.protocolVersion());
        started(ctx);
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        State s = state(ctx);
        disarm(s);
        s.inRequest = true;
        if (headers.contains(HeaderNames.UPGRADE)) {
            // a WebSocket from here on: its own heartbeat and Helidon's idle timeout look after it
            s.upgraded = true;
        }
        RequestFraming.check(headers, s.http10);
    }

    @Override
    public void status(ConnectionContext ctx, Status status) {
        State s = STATE.get();
        if (s != null && s.ctx == ctx && status.code() >= 200) {
            s.inRequest = false;
        }
    }

    /** Bytes of a new request: its headers must be complete within the header timeout. */
    private void started(ConnectionContext ctx) {
        State s = state(ctx);
        if (!s.inRequest && !s.upgraded && s.armed == null) {
            arm(s, headerNanos, "headers");
        }
    }

    // ---- what routes call ----

    /**
     * Bounds the reading of the current request's body by {@code server.body-timeout}: past it the connection is cut,
     * and the read fails. Call on the request's own thread; close the result when the body is read.
     */
    public static Disarm bodyDeadline() {
        State s = STATE.get();
        return s == null ? NOTHING : s.guard.armBody(s);
    }

    /** A route filter: a request that said {@code Connection: close} is the connection's last. */
    public static void closeWhenAsked(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        chain.proceed();
        closeIfAsked(req);
    }

    /**
     * Ends the connection after this answer when the client asked to ({@code Connection: close}); for error handlers,
     * which run after the filters.
     */
    public static void closeIfAsked(ServerRequest req) {
        if (req.headers().contains(HeaderValues.CONNECTION_CLOSE)) {
            throw new CloseConnectionException("the client asked to close the connection");
        }
    }

    /** Connections cut so far because their headers ({@code headers}) or body ({@code body}) were too slow. */
    public long cut(String phase) {
        return phase.equals("headers") ? cutHeaders.get() : cutBodies.get();
    }

    @Override
    public void close() {
        watchdog.interrupt();
    }

    // ---- deadlines ----

    private State state(ConnectionContext ctx) {
        State s = STATE.get();
        if (s == null || s.ctx != ctx) {
            s = new State(this, ctx);
            STATE.set(s);
        }
        return s;
    }

    private Disarm armBody(State s) {
        disarm(s);
        arm(s, bodyNanos, "body");
        return () -> disarm(s);
    }

    private void arm(State s, long nanos, String phase) {
        Deadline d = new Deadline(s.ctx, System.nanoTime() + nanos, phase);
        s.armed = d;
        armed.add(d);
    }

    private void disarm(State s) {
        Deadline d = s.armed;
        if (d != null) {
            armed.remove(d);
            s.armed = null;
        }
    }

    private void watch() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            int cut = 0;
            for (Iterator<Deadline> it = armed.iterator(); it.hasNext(); ) {
                Deadline d = it.next();
                if (now - d.at >= 0) {
                    it.remove();
                    (d.phase.equals("headers") ? cutHeaders : cutBodies).incrementAndGet();
                    cut++;
                    try {
                        d.ctx.serverSocket().close();
                    } catch (RuntimeException e) {
                        // already closed
                    }
                }
            }
            report(now, cut);
        }
    }

    /** One line a minute at the most, however many clients are cut. */
    private void report(long now, int cut) {
        loggedCuts += cut;
        if (loggedCuts > 0 && (lastLog == 0 || now - lastLog >= LOG_EVERY_NANOS)) {
            LOG.log(System.Logger.Level.WARNING, "closed " + loggedCuts + " connection(s) too slow to send their"
                    + " request (headers within " + Duration.ofNanos(headerNanos) + ", body within "
                    + Duration.ofNanos(bodyNanos) + "); " + (cutHeaders.get() + cutBodies.get()) + " since start");
            lastLog = now;
            loggedCuts = 0;
        }
    }
}
