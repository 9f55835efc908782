package io.alerthub.core.testing;

import java.time.Duration;
import java.util.UUID;

/** The {@code cluster:} section of a test hub's configuration, and stream names private to a test. */
public final class ClusterYaml {

    private ClusterYaml() {
    }

    /** A stream name no other test (or run) uses: {@code T_<what>_<random>}. */
    public static String privateStream(String what) {
        return "T_" + what + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * {@code cluster:} on {@code urls} (comma-separated) and {@code stream}, as {@code instance}, with a short takeover
     * time (tests wait seconds, not the production ten).
     */
    public static String section(String urls, String stream, String instance, Duration takeoverAfter) {
        return "cluster:\n"
                + "  enabled: true\n"
                + "  nats-urls: \"" + urls + "\"\n"
                + "  stream: " + stream + "\n"
                + "  instance-id: \"" + instance + "\"\n"
                + "  takeover-after: " + takeoverAfter + "\n";
    }
}
