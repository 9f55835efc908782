package io.alerthub.core.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.alerthub.core.Hub;
import io.alerthub.core.config.HubConfig;
import io.alerthub.core.dispatch.PluginStatus;
import io.alerthub.spi.Event;

/**
 * A hub started in-process (on a free port, with its data in a test folder) and an HTTP client for it. The plugins
 * are the ones on the test class path; the recorder and faulty plugins of the core's tests are registered only in
 * the core's own tests (its test-jar leaves out their service file).
 */
public final class TestHub extends HubClient implements AutoCloseable {

    private final Hub hub;
    private final Path dataDir;

    private TestHub(Hub hub, Path dataDir, String token, Duration requestTimeout) {
        super(hub.port(), token, requestTimeout);
        this.hub = hub;
        this.dataDir = dataDir;
    }

    /**
     * Starts a hub; {@code extraYaml} is appended to a config that sets the port (0) and the data dir.
     * Use it for further top-level sections ({@code plugins:}, {@code security:}); for {@code hub:} keys pass
     * them in {@code hubYaml} (indented by the caller as children of {@code hub:}).
     */
    public static TestHub start(Path dataDir, String hubYaml, String extraYaml) {
        return start(dataDir, "", hubYaml, extraYaml);
    }

    /** As {@link #start(Path, String, String)}, with {@code server:} keys too (indented by this method). */
    public static TestHub start(Path dataDir, String serverYaml, String hubYaml, String extraYaml) {
        String yaml = "server:\n  port: 0\n" + indent(serverYaml) + "hub:\n  data-dir: \"" + dataDir + "\"\n"
                + indent(hubYaml) + (extraYaml == null ? "" : extraYaml);
        return start(HubConfig.fromYaml(yaml));
    }

    public static TestHub start(Path dataDir, String extraYaml) {
        return start(dataDir, "", extraYaml);
    }

    /** Starts a hub from a whole configuration (a test's module builds its YAML: port 0, a data dir of the test). */
    public static TestHub start(HubConfig config) {
        return start(config, null, null);
    }

    /**
     * Starts a hub from a whole configuration.
     *
     * @param token          the bearer token of the requests that do not name one, or null for none
     * @param requestTimeout how long one request may take, or null for no limit
     */
    public static TestHub start(HubConfig config, String token, Duration requestTimeout) {
        return new TestHub(Hub.start(config), config.hub().dataDir(), token, requestTimeout);
    }

    private static String indent(String hubYaml) {
        if (hubYaml == null || hubYaml.isBlank()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (String line : hubYaml.stripIndent().split("\n")) {
            b.append("  ").append(line).append('\n');
        }
        return b.toString();
    }

    public Hub hub() {
        return hub;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The plugin {@code name} as this hub sees it (state, reason, cursor, details), without a request. */
    public PluginStatus pluginStatus(String name) {
        return hub.plugins().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " plugin loaded"));
    }

    /** What the recorder plugin of this hub was given. */
    public List<Event> recorded() {
        return RecorderProvider.recorded(dataDir);
    }

    @Override
    public void close() {
        hub.close();
    }
}
