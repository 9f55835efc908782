package io.alerthub.core;

import java.nio.file.Path;

import io.alerthub.core.config.HubConfig;
import io.alerthub.core.log.LogException;
import io.alerthub.spi.ConfigException;

import io.helidon.logging.common.LogConfig;

/**
 * {@code alerthub start [--config FILE]}: runs the hub in the foreground until SIGTERM or Ctrl-C, then stops
 * gracefully and exits 0. A configuration that does not load ends the process with one line and exit code 2.
 */
public final class Main {

    /** The exit code when the listener died (out of file descriptors) and the hub stopped to be restarted. */
    static final int LISTENER_LOST = 3;
    private static volatile int exitCode;

    private Main() {
    }

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", ShutdownSafeLogManager.class.getName());
        }
        LogConfig.configureRuntime();
        Path configFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> {
                    if (i + 1 == args.length) {
                        fail(2, "--config needs a file");
                    }
                    configFile = Path.of(args[++i]);
                }
                case "start" -> {
                    // the launcher's verb; nothing else to do
                }
                case "--help", "-h" -> {
                    System.out.println("usage: alerthub start [--config FILE]");
                    return;
                }
                default -> {
                    if (args[i].startsWith("--config=")) {
                        configFile = Path.of(args[i].substring("--config=".length()));
                    } else {
                        fail(2, "unknown argument " + args[i] + " (usage: alerthub start [--config FILE])");
                    }
                }
            }
        }
        Hub hub;
        try {
            HubConfig config = configFile == null ? HubConfig.defaults() : HubConfig.load(configFile);
            hub = Hub.start(config);
        } catch (ConfigException e) {
            fail(2, "configuration error: " + e.getMessage());
            return;
        } catch (io.helidon.config.ConfigException e) {
            fail(2, "configuration error: " + rootMessage(e));
            return;
        } catch (LogException | IllegalStateException e) {
            fail(1, e.getMessage());
            return;
        }
        Hub running = hub;
        running.onListenerLost(() -> {
            System.getLogger(Main.class.getName()).log(System.Logger.Level.ERROR, "the listener stopped accepting"
                    + " connections (" + running.listenerLost() + "): stopping with exit code " + LISTENER_LOST
                    + " so that a supervisor restarts the hub");
            exitCode = LISTENER_LOST;
            System.exit(LISTENER_LOST);
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            for (var handler : java.util.logging.Logger.getLogger("").getHandlers()) {
                handler.flush();
            }
            System.out.flush();
            System.err.flush();
            // A stop asked for by SIGTERM or Ctrl-C that completed cleanly is a success.
            Runtime.getRuntime().halt(exitCode);
        }, "alerthub-shutdown"));
        try {
            running.awaitStop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void fail(int code, String message) {
        System.err.println("alerthub: " + message);
        System.exit(code);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? e.getMessage() : e.getMessage() + ": " + t.getMessage();
    }
}
