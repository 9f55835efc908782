package io.alerthub.core.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Notices when Helidon's listener stops accepting for good. Helidon ends its accept loop on any exception from
 * {@code accept()} (EMFILE, "Too many open files", among them) and only logs it; the process lives on, unreachable.
 * The connection limit keeps accept below the file descriptor limit, but other descriptors (plugins, outgoing
 * connections) can still exhaust it: then the hub must not go on as a process that nobody can reach. Helidon offers
 * no hook for it, so this watches its log record (its one sign), and the hub reacts: {@code Main} exits with code 3
 * so that a supervisor restarts it.
 */
public final class ListenerWatch extends Handler implements AutoCloseable {

    static final String LOGGER = "io.helidon.webserver.ServerListener";
    private static final String SIGN = "server socket is terminating now";

    private final Logger logger = Logger.getLogger(LOGGER);
    private final List<Runnable> reactions = new CopyOnWriteArrayList<>();
    private volatile String lost;

    private ListenerWatch() {
    }

    public static ListenerWatch install() {
        ListenerWatch w = new ListenerWatch();
        w.logger.addHandler(w);
        return w;
    }

    /** Runs {@code reaction} (once) when the listener stops. */
    public void onLost(Runnable reaction) {
        reactions.add(reaction);
    }

    /** Why the listener stopped, or {@code null} while it runs. */
    public String lost() {
        return lost;
    }

    @Override
    public void publish(LogRecord record) {
        if (lost != null || record.getLevel().intValue() < Level.SEVERE.intValue() || record.getMessage() == null
                || !record.getMessage().contains(SIGN)) {
            return;
        }
        Throwable t = record.getThrown();
        lost = t == null ? record.getMessage() : t.getMessage();
        for (Runnable r : reactions) {
            Thread.ofPlatform().name("listener-lost").start(r);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
