package io.alerthub.simulator;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
            demo = Demo.start(configs(options), options, System.out);
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

    /**
     * The hub's configuration; with {@code --cluster}, one per instance: the same file, with the port, the data
     * folder and the instance id of each set as the environment would ({@code SERVER_PORT}, ...), cluster mode on.
     */
    static List<HubConfig> configs(DemoOptions options) {
        HubConfig base = load(options, System.getenv());
        if (options.instances() == 0) {
            return List.of(base);
        }
        List<HubConfig> configs = new ArrayList<>();
        for (int i = 1; i <= options.instances(); i++) {
            Map<String, String> env = new HashMap<>(System.getenv());
            int port = base.server().port();
            env.put("SERVER_PORT", Integer.toString(port == 0 ? 0 : port + i - 1));
            env.put("HUB_DATA_DIR", base.hub().dataDir().resolve("cluster-demo").resolve("demo-" + i).toString());
            env.put("CLUSTER_ENABLED", "true");
            env.put("CLUSTER_INSTANCE_ID", "demo-" + i);
            configs.add(load(options, env));
        }
        return configs;
    }

    private static HubConfig load(DemoOptions options, Map<String, String> env) {
        return options.config().map(f -> HubConfig.load(f, env)).orElseGet(() -> HubConfig.fromYaml("{}", env));
    }

    private static void fail(int code, String message) {
        System.err.println("alerthub demo: " + message);
        System.exit(code);
    }
}
