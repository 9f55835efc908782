package io.alerthub.core.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.alerthub.core.Main;

/**
 * A hub run as an operator runs it: {@link Main} in a JVM of its own, with this JVM's class path (so the plugins
 * under test too) and a configuration file. For what only a real process shows: a SIGKILL that skips every
 * shutdown hook, SIGTERM, the exit code, the output.
 */
public final class HubProcess {

    private static final Pattern LISTENING = Pattern.compile("listening on https?://127\\.0\\.0\\.1:(\\d+)");
    private static final Duration PORT_WAIT = Duration.ofSeconds(60);

    private final Process process;
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final CompletableFuture<String> output = new CompletableFuture<>();

    private HubProcess(Process process) {
        this.process = process;
        Thread.ofVirtual().start(this::readOutput);
    }

    /** Starts {@code java -cp <this class path> io.alerthub.core.Main --config <configFile>}. */
    public static HubProcess start(Path configFile) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                       "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                                       "--config", configFile.toString());
        return new HubProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /**
     * As {@link #start(Path)}, under a file descriptor limit of {@code fdLimit} (soft and hard, set by the shell as an
     * operator's {@code ulimit -n} does).
     */
    public static HubProcess startWithFdLimit(Path configFile, int fdLimit) throws IOException {
        ProcessBuilder b = new ProcessBuilder("/bin/sh", "-c", "ulimit -n " + fdLimit + " && exec \"$0\" -cp \"$CP\" "
                + Main.class.getName() + " --config \"$1\"",
                                              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                              configFile.toString());
        b.environment().put("CP", System.getProperty("java.class.path"));
        return new HubProcess(b.redirectErrorStream(true).start());
    }

    /**
     * As {@link #start(Path)}, in a mount namespace of its own where {@code dataDir} is a tmpfs of {@code megabytes}
     * ({@code unshare -m}, root only): a small disk that the test fills and frees through {@link #rootPath}.
     */
    public static HubProcess startOnTmpfs(Path configFile, Path dataDir, int megabytes) throws IOException {
        ProcessBuilder b = new ProcessBuilder("unshare", "-m", "/bin/sh", "-c",
                                              "mount -t tmpfs -o size=" + megabytes + "m alerthub-test \"$2\" && exec \"$0\""
                                                      + " -cp \"$CP\" " + Main.class.getName() + " --config \"$1\"",
                                              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                              configFile.toString(), dataDir.toString());
        b.environment().put("CP", System.getProperty("java.class.path"));
        return new HubProcess(b.redirectErrorStream(true).start());
    }

    /** {@code path} as the process sees it (its mount namespace), reachable from this one through /proc. */
    public Path rootPath(Path path) {
        return Path.of("/proc", Long.toString(process.pid()), "root").resolve(path.toString().substring(1));
    }

    /** Whether the process still runs. */
    public boolean alive() {
        return process.isAlive();
    }

    /** Reads the output (stdout and stderr) until it ends, so the process never blocks on a full pipe. */
    private void readOutput() {
        StringBuilder seen = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                                                                          StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                seen.append(line).append('\n');
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
            port.completeExceptionally(new IllegalStateException("hub exited:\n" + seen));
            output.complete(seen.toString());
        } catch (IOException e) {
            // the pipe closed under the reader as the process ended: what was read is the output
            port.completeExceptionally(e);
            output.complete(seen.toString());
        }
    }

    /** The port the hub says it listens on, once it says so (a minute at the most). */
    public int port() {
        try {
            return port.get(PORT_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the hub did not start", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the hub did not say where it listens within " + PORT_WAIT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A client of the hub, once it listens (see {@link #port()}). */
    public HubClient client() {
        return new HubClient(port(), null, null);
    }

    /** Everything the process wrote, once its output ended (at its exit). */
    public String output() {
        return output.join();
    }

    /** SIGKILL: no shutdown hook, no cursor flush, no fsync. True if the process ended within {@code wait}. */
    public boolean kill(Duration wait) {
        process.destroyForcibly();
        return waitFor(wait);
    }

    /** SIGTERM: the hub shuts down as on Ctrl-C. True if the process ended within {@code wait}. */
    public boolean terminate(Duration wait) {
        process.destroy();
        return waitFor(wait);
    }

    /** True if the process ended within {@code wait}. */
    public boolean waitFor(Duration wait) {
        try {
            return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The exit code of the ended process. */
    public int exitValue() {
        return process.exitValue();
    }
}
