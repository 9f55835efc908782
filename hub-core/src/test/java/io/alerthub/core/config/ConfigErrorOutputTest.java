package io.alerthub.core.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.alerthub.core.testing.HubProcess;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A YAML syntax error stops the start with one line that names the line (SnakeYAML's message took 11 to 17). */
class ConfigErrorOutputTest {

    @Test
    void aYamlSyntaxErrorIsOneLineNamingTheLine(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("hub.yaml"), """
                server:
                  port: 0
                hub:
                  data-dir: data
                   log: [oops
                """);
        HubProcess hub = HubProcess.start(config);
        assertTrue(hub.waitFor(Duration.ofSeconds(60)), "the hub did not stop");
        assertEquals(2, hub.exitValue());
        String output = hub.output().strip();
        assertEquals(1, output.lines().count(), output);
        assertTrue(output.contains("line 5, column 7"), output);
        assertTrue(output.startsWith("alerthub: configuration error: " + config), output);
    }
}
