package io.alerthub.simulator;

import java.security.SecureRandom;

import io.alerthub.core.config.HubConfig;
import io.alerthub.core.log.LogException;
import io.alerthub.spi.ConfigException;

import io.helidon.logging.common.LogConfig;

/**
 * {@code alerthub demo [--config FILE] [options]}: the hub with the built-in SPC simulator publishing to it, until
 * SIGTERM or Ctrl-C, which stops both cleanly (exit 0). Wrong arguments or configuration end the process with one
 * line and exit code 2. {@link DemoOptions#USAGE} lists the options.
 */
public final class DemoMain {

    private DemoMain() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        DemoOptions options;
        try {
            options = DemoOptions.parse(args, new SecureRandom()::nextLong);
        } catch (IllegalArgumentException e) {
            fail(2, e.getMessage() + "\n" + DemoOptions.USAGE);
            return;
        }
        if (options.help()) {
            System.out.println(DemoOptions.USAGE);
            return;
        }
        Demo demo;
        try {
            HubConfig config = options.config().map(HubConfig::load).orElseGet(HubConfig::defaults);
            demo = Demo.start(config, options, System.out);
        } catch (ConfigException e) {
            fail(2, "configuration error: " + e.getMessage());
            return;
        } catch (io.helidon.config.ConfigException e) {
            fail(2, "configuration error: " + e.getMessage());
            return;
        } catch (LogException | IllegalStateException e) {
            fail(1, e.getMessage());
            return;
        }
        Demo running = demo;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Printed rather than logged: the JDK's logging shuts down alongside this hook and may drop its lines.
            System.out.println("alerthub demo: stopping");
            running.close();
            System.out.println("alerthub demo: stopped");
            System.out.flush();
            System.err.flush();
            // A stop asked for by SIGTERM or Ctrl-C that completed cleanly is a success.
            Runtime.getRuntime().halt(0);
        }, "alerthub-demo-shutdown"));
        try {
            running.hub().awaitStop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void fail(int code, String message) {
        System.err.println("alerthub demo: " + message);
        System.exit(code);
    }
}
