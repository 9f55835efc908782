package io.alerthub.core.plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.alerthub.core.dispatch.PluginStatus;
import io.alerthub.core.testing.TestHub;
import io.alerthub.spi.ConfigException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Discovery: the class path and plugins/<name>/ folders, each with its own class loader; what fails to load. */
class PluginDiscoveryTest {

    private static final String FOLDER_PLUGIN = """
            package ext;

            import java.nio.file.Files;
            import java.nio.file.StandardOpenOption;
            import io.alerthub.spi.*;

            public class FolderProvider implements NotifierProvider {
                public String type() { return "folder"; }
                public Notifier create(ConfigNode config, HubContext hub) {
                    String label = config.string("label", "none");
                    return event -> {
                        try {
                            Files.writeString(hub.dataDir().resolve("delivered.txt"),
                                event.seq() + " " + label + " " + getClass().getClassLoader().getName() + "\\n",
                                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                        } catch (java.io.IOException e) {
                            throw DeliveryException.retryable("cannot write", e);
                        }
                    };
                }
            }
            """;

    private static final String BROKEN_PLUGIN = """
            package ext;

            public class BrokenProvider implements io.alerthub.spi.NotifierProvider {
                public BrokenProvider() { throw new IllegalStateException("this plugin is broken"); }
                public String type() { return "broken"; }
                public io.alerthub.spi.Notifier create(io.alerthub.spi.ConfigNode c, io.alerthub.spi.HubContext h) {
                    return e -> { };
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aPluginInItsOwnFolderIsLoadedByItsOwnClassLoader() throws Exception {
        Path plugins = dir.resolve("plugins");
        PluginJars.build(dir, plugins.resolve("folder/folder-plugin.jar"), Map.of("ext.FolderProvider", FOLDER_PLUGIN),
                         List.of("ext.FolderProvider"));
        Path data = dir.resolve("data");
        try (TestHub hub = TestHub.start(data, "plugins-dir: \"" + plugins + "\"", """
                plugins:
                  folder: { label: seen }
                  recorder: { enabled: true }
                """)) {
            List<PluginStatus> status = hub.hub().plugins();
            PluginStatus folder = status.stream().filter(p -> p.name().equals("folder")).findFirst().orElseThrow();
            assertTrue(folder.enabled());
            assertEquals(plugins.resolve("folder").toString(), folder.source());
            assertEquals(1, status.stream().filter(p -> p.name().equals("recorder")).count(),
                         "class-path plugins are not registered again through the folder's loader");
            long seq = hub.publish("{\"type\":\"sample\",\"payload\":{}}").getFirst();
            Path delivered = data.resolve("plugins/folder/delivered.txt");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(delivered));
            assertEquals(seq + " seen plugin-folder", Files.readString(delivered).trim());
        }
    }

    @Test
    void aBrokenProviderIsLoggedWithItsJarAndSkipped() {
        Path plugins = dir.resolve("plugins");
        Path jar = PluginJars.build(dir, plugins.resolve("broken/broken-plugin.jar"),
                                    Map.of("ext.BrokenProvider", BROKEN_PLUGIN),
                                    List.of("ext.BrokenProvider", "ext.MissingProvider"));
        List<String> lines = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(PluginDiscovery.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try (TestHub hub = TestHub.start(dir.resolve("data"), "plugins-dir: \"" + plugins + "\"", "")) {
            assertFalse(hub.hub().plugins().stream().anyMatch(p -> p.name().equals("broken")));
            assertEquals(202, hub.post("/api/v1/events", "{\"type\":\"sample\",\"payload\":{}}").statusCode(),
                         "the hub runs without the broken plugin");
        } finally {
            logger.removeHandler(capture);
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("ext.BrokenProvider") && l.contains(jar.toString())
                           && l.contains("this plugin is broken")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("ext.MissingProvider") && l.contains(jar.toString())),
                   lines.toString());
    }

    @Test
    void anUnknownPluginNameStopsTheStartNamingIt() {
        ConfigException e = assertThrows(ConfigException.class, () -> TestHub.start(dir, """
                plugins:
                  carrier-pigeon: { enabled: true }
                """));
        assertEquals("plugins.carrier-pigeon", e.key());
        assertTrue(e.getMessage().contains("no plugin named carrier-pigeon is installed"), e.getMessage());
        assertTrue(e.getMessage().contains("recorder"), "lists what is installed: " + e.getMessage());
    }

    @Test
    void aKeyAPluginDoesNotKnowStopsTheStartEvenWhenItIsDisabled() {
        ConfigException e = assertThrows(ConfigException.class, () -> TestHub.start(dir, """
                plugins:
                  recorder: { enabled: false, fiel: /tmp/x }
                """));
        assertEquals("plugins.recorder.fiel", e.key());
        assertTrue(e.getMessage().contains("unknown key"));
    }

    @Test
    void aValueThatDoesNotParseNamesItsKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> TestHub.start(dir, """
                plugins:
                  faulty: { enabled: true, fail-times: many }
                """));
        assertEquals("plugins.faulty.fail-times", e.key());
    }
}
