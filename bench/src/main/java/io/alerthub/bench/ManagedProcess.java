package io.alerthub.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server the benchmark runs as a process of its own (the hub, a peer), so that its memory and CPU are measured
 * alone. Its output goes to a log file; it is ready once a line matches {@code ready} (whose first group, when
 * there is one, is the port it listens on). Closing sends SIGTERM and, if it does not stop in time, SIGKILL.
 */
final class ManagedProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private final CompletableFuture<String> ready = new CompletableFuture<>();

    private ManagedProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command} and waits until it prints a line matching {@code ready}.
     *
     * @throws BenchException when it exits or stays silent past {@code timeout}
     */
    static ManagedProcess start(String name, List<String> command, Map<String, String> env, Path log,
                                Pattern ready, Duration timeout) {
        return start(name, command, env, log, ready, timeout, -1);
    }

    /**
     * Starts {@code command} and waits until it accepts connections on {@code port} (for a program that does not
     * say when it is ready, or says it in output it buffers).
     */
    static ManagedProcess startListening(String name, List<String> command, Path log, int port, Duration timeout) {
        return start(name, command, Map.of(), log, null, timeout, port);
    }

    private static ManagedProcess start(String name, List<String> command, Map<String, String> env, Path log,
                                        Pattern ready, Duration timeout, int port) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p;
        try {
            Files.createDirectories(log.getParent());
            p = pb.start();
        } catch (IOException e) {
            throw new BenchException("cannot start " + name + " (" + command.getFirst() + "): " + e.getMessage());
        }
        ManagedProcess mp = new ManagedProcess(name, p, log);
        Thread.ofPlatform().daemon().name(name + "-output").start(() -> mp.pump(ready));
        if (port > 0) {
            Thread.ofVirtual().start(() -> mp.awaitPort(port, timeout));
        }
        try {
            mp.ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            mp.close();
            throw new BenchException(name + " did not start within " + timeout.toSeconds() + " s; see " + log);
        } catch (ExecutionException e) {
            mp.close();
            throw new BenchException(name + " " + e.getCause().getMessage() + "; see " + log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            mp.close();
            throw new BenchException("interrupted while starting " + name);
        }
        return mp;
    }

    private void pump(Pattern readyLine) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                                                                          StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.write('\n');
                out.flush();
                if (readyLine != null && !ready.isDone()) {
                    Matcher m = readyLine.matcher(line);
                    if (m.find()) {
                        ready.complete(m.groupCount() > 0 ? m.group(1) : "");
                    }
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(new UncheckedIOException(e));
        } finally {
            ready.completeExceptionally(new IllegalStateException("exited (code " + exitCode() + ") before it was ready"));
        }
    }

    private void awaitPort(int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.isDone() && System.nanoTime() - deadline < 0) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(Server.HOST, port), 500);
                ready.complete(Integer.toString(port));
                return;
            } catch (IOException e) {
                try {
                    TimeUnit.MILLISECONDS.sleep(50);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private String exitCode() {
        try {
            return process.waitFor(2, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    String name() {
        return name;
    }

    /** The port from the ready line. */
    int port() {
        return Integer.parseInt(ready.join());
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
