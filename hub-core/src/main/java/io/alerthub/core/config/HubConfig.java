package io.alerthub.core.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

import io.alerthub.spi.ConfigException;
import io.alerthub.spi.ConfigNode;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * The whole configuration, read once at start. Plugins' sections are read by the plugins themselves
 * (through {@link #plugins()}); {@link #rejectUnknown()} runs after that.
 *
 * @param server   {@code server}
 * @param hub      {@code hub}
 * @param security {@code security}
 * @param plugins  {@code plugins}, one section per plugin
 * @param root     the whole tree, for the final unknown-key check
 */
public record HubConfig(ServerSettings server, HubSettings hub, SecuritySettings security, ConfigNode plugins,
                        ConfigNode root) {

    /** Reads a YAML file, with environment variables from the process. */
    public static HubConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file.toString(), "configuration file not found");
        }
        return create(Config.builder()
                              .disableEnvironmentVariablesSource()
                              .disableSystemPropertiesSource()
                              .sources(ConfigSources.file(file))
                              .build(), System::getenv);
    }

    /** Reads YAML text. */
    public static HubConfig fromYaml(String yaml, Function<String, String> env) {
        return create(Config.builder()
                              .disableEnvironmentVariablesSource()
                              .disableSystemPropertiesSource()
                              .sources(ConfigSources.create(yaml, MediaTypes.APPLICATION_X_YAML))
                              .build(), env);
    }

    /** Reads YAML text, with environment variables from the process. */
    public static HubConfig fromYaml(String yaml) {
        return fromYaml(yaml, System::getenv);
    }

    /** The built-in defaults: what {@code ./alerthub start} runs without a file. */
    public static HubConfig defaults() {
        return fromYaml("{}", System::getenv);
    }

    static HubConfig create(Config config, Function<String, String> env) {
        ConfigNode root = ConfigNode.root(config, env);
        ServerSettings server = ServerSettings.create(root.child("server"));
        HubSettings hub = HubSettings.create(root.child("hub"));
        SecuritySettings security = SecuritySettings.create(root.child("security"));
        ConfigNode cluster = root.child("cluster");
        if (cluster.bool("enabled", false)) {
            throw cluster.error("enabled", "cluster mode (Redis) is not available in this version of AlertHub;"
                    + " run a single hub");
        }
        cluster.string("redis-uri");
        return new HubConfig(server, hub, security, root.child("plugins"), root);
    }

    /** Refuses any key nobody read: call once every plugin has read its section. */
    public void rejectUnknown() {
        root.rejectUnknown();
    }
}
