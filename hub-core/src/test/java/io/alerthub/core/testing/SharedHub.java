package io.alerthub.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One hub for all tests of a class ({@code @RegisterExtension static final SharedHub shared = SharedHub.of(...)}):
 * started before the first test in a folder of its own, closed and removed after the last.
 */
public final class SharedHub implements BeforeAllCallback, AfterAllCallback {

    private final String serverYaml;
    private final String hubYaml;
    private final String extraYaml;
    private Path dir;
    private TestHub hub;

    private SharedHub(String serverYaml, String hubYaml, String extraYaml) {
        this.serverYaml = serverYaml;
        this.hubYaml = hubYaml;
        this.extraYaml = extraYaml;
    }

    /** As {@link TestHub#start(Path, String, String, String)}, for the whole class. */
    public static SharedHub of(String serverYaml, String hubYaml, String extraYaml) {
        return new SharedHub(serverYaml, hubYaml, extraYaml);
    }

    public TestHub hub() {
        return hub;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("alerthub-" + context.getRequiredTestClass().getSimpleName());
        hub = TestHub.start(dir, serverYaml, hubYaml, extraYaml);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (hub != null) {
            hub.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
