package io.alerthub.core.server;

import java.lang.management.ManagementFactory;
import java.util.OptionalLong;

import com.sun.management.UnixOperatingSystemMXBean;

/**
 * The process's file descriptor limit, and how many TCP connections fit below it. Every connection holds one; the
 * event log, the plugins and the JVM's own jars hold the rest. A listener that runs out (EMFILE on accept) stops for
 * good in Helidon, so the hub never accepts more connections than leave a reserve free.
 *
 * @param limit the soft limit ({@code ulimit -n}), when the platform tells
 * @param open  descriptors open now
 */
public record FileDescriptors(OptionalLong limit, long open) {

    /** Descriptors left for everything but connections: the log's segments, plugins, outgoing connections. */
    static final long MIN_RESERVE = 128;
    /** With no limit known, or none configured. */
    static final int DEFAULT_CONNECTIONS = 10_000;

    public static FileDescriptors now() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            return new FileDescriptors(OptionalLong.of(unix.getMaxFileDescriptorCount()),
                                       unix.getOpenFileDescriptorCount());
        }
        return new FileDescriptors(OptionalLong.empty(), 0);
    }

    /** The most connections that leave a reserve of a tenth of the limit (at least {@link #MIN_RESERVE}) free. */
    public int connectionCap() {
        if (limit.isEmpty()) {
            return DEFAULT_CONNECTIONS;
        }
        long reserve = Math.max(MIN_RESERVE, limit.getAsLong() / 10);
        long cap = limit.getAsLong() - open - reserve;
        return (int) Math.max(16, Math.min(Integer.MAX_VALUE, cap));
    }

    /** {@code configured} (0 = none), capped. */
    public int connections(int configured) {
        int cap = connectionCap();
        return configured == 0 ? cap : Math.min(configured, cap);
    }
}
