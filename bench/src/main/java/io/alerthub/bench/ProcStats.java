package io.alerthub.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory and CPU time of one process, and the machine's CPU, read from {@code /proc}, so that every figure
 * is the measured process's alone (the hub, a peer, or the generator itself).
 */
final class ProcStats {

    /**
     * {@code /proc} counts CPU time in USER_HZ ticks, which the kernel fixes at 100 per second on every architecture
     * (it is part of the ABI, independent of the kernel's own HZ).
     */
    private static final long TICK_NANOS = 10_000_000L;

    private ProcStats() {
    }

    /** One reading of a process: resident set and CPU time (user + system) so far. */
    record Sample(long nanoTime, long rssBytes, long cpuNanos) {

        /** CPU used between {@code earlier} and this sample, in percent of one core. */
        double cpuPercentSince(Sample earlier) {
            long wall = nanoTime - earlier.nanoTime;
            return wall <= 0 ? 0 : 100.0 * (cpuNanos - earlier.cpuNanos) / wall;
        }
    }

    /** Busy and total CPU ticks of the whole machine (every core), from {@code /proc/stat}. */
    record MachineCpu(long busyTicks, long totalTicks) {

        /** Busy share of all cores between {@code earlier} and this reading, in percent (100 = every core busy). */
        double busyPercentSince(MachineCpu earlier) {
            long total = totalTicks - earlier.totalTicks;
            return total <= 0 ? 0 : 100.0 * (busyTicks - earlier.busyTicks) / total;
        }
    }

    static Sample sample(long pid) {
        long now = System.nanoTime();
        return new Sample(now, rssBytes(pid), cpuNanos(pid));
    }

    /** VmRSS of {@code /proc/<pid>/status}; 0 once the process is gone. */
    static long rssBytes(long pid) {
        String status = read(Path.of("/proc", Long.toString(pid), "status"));
        if (status == null) {
            return 0;
        }
        return parseRssBytes(status);
    }

    static long parseRssBytes(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                return Long.parseLong(parts[0]) * 1024;
            }
        }
        return 0;
    }

    /** utime + stime of {@code /proc/<pid>/stat}, in nanoseconds; 0 once the process is gone. */
    static long cpuNanos(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        return stat == null ? 0 : parseCpuNanos(stat);
    }

    static long parseCpuNanos(String stat) {
        // Field 2 (the command) is in parentheses and may hold spaces and parentheses: count from the last ')'.
        String[] rest = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // rest[0] is field 3 (state): utime and stime are fields 14 and 15.
        long utime = Long.parseLong(rest[11]);
        long stime = Long.parseLong(rest[12]);
        return (utime + stime) * TICK_NANOS;
    }

    /** Descriptors the process has open ({@code /proc/<pid>/fd}); -1 once it is gone or cannot be read. */
    static long openFds(long pid) {
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    /**
     * The soft and hard {@code Max open files} of {@code /proc/<pid>/limits} ({@code unlimited} as
     * {@link Long#MAX_VALUE}); {@code {-1, -1}} when it cannot be read.
     */
    static long[] fdLimits(long pid) {
        String limits = read(Path.of("/proc", Long.toString(pid), "limits"));
        return limits == null ? new long[] {-1, -1} : parseFdLimits(limits);
    }

    static long[] parseFdLimits(String limits) {
        for (String line : limits.split("\n")) {
            if (line.startsWith("Max open files")) {
                String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                return new long[] {limit(f[0]), limit(f[1])};
            }
        }
        return new long[] {-1, -1};
    }

    private static long limit(String value) {
        return value.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(value);
    }

    static MachineCpu machine() {
        String stat = read(Path.of("/proc/stat"));
        if (stat == null) {
            return new MachineCpu(0, 0);
        }
        return parseMachine(stat);
    }

    static MachineCpu parseMachine(String stat) {
        String first = stat.substring(0, stat.indexOf('\n'));
        String[] f = first.trim().split("\\s+");
        long total = 0;
        // user nice system idle iowait irq softirq steal (guest time is already counted in user)
        for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
        return new MachineCpu(total - idle, total);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            if (!Files.exists(file)) {
                return null;
            }
            throw new UncheckedIOException(e);
        }
    }
}
