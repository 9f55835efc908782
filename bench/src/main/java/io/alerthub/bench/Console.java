package io.alerthub.bench;

import java.util.Locale;

/** Progress on standard output, each line stamped with the seconds since the run started. */
final class Console {

    private static final long START = System.nanoTime();

    private Console() {
    }

    static void say(String line) {
        System.out.printf(Locale.ROOT, "[%5.0fs] %s%n", (System.nanoTime() - START) / 1e9, line);
        System.out.flush();
    }

    static double elapsedMinutes() {
        return (System.nanoTime() - START) / 60e9;
    }

    /** One measured step, as a line. */
    static String line(Measurement m) {
        return String.format(Locale.ROOT,
                             "%-15s %5d subs %4d topics %6.0f ev/s -> %,9.0f deliveries/s  p50 %s p99 %s max %s ms"
                                     + "  lost %d  ooo %d  rss %.0f MB  cpu server %.0f%% generator %.0f%% machine %.0f%%"
                                     + "  send lag p99 %s ms",
                             m.server(), m.subscribers(), m.topics(), m.rate(), m.deliveriesPerSecond(),
                             Report.ms(m.p50Ms()), Report.ms(m.p99Ms()), Report.ms(m.maxMs()), m.lost(),
                             m.outOfOrder(), m.serverRssMb(), m.serverCpuPercent(), m.generatorCpuPercent(),
                             m.machineBusyPercent(), Report.ms(m.sendLagP99Ms()));
    }
}
