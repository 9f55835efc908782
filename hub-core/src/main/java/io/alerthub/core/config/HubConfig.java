package io.alerthub.core.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.alerthub.spi.ConfigException;
import io.alerthub.spi.ConfigNode;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.spi.ConfigSource;

import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * The whole configuration, read once at start. Plugins' sections are read by the plugins themselves
 * (through {@link #plugins()}); {@link #rejectUnknown()} runs after that.
 *
 * @param server   {@code server}
 * @param hub      {@code hub}
 * @param security {@code security}
 * @param cluster  {@code cluster}: several hubs as one, on NATS JetStream
 * @param plugins  {@code plugins}, one section per plugin
 * @param root     the whole tree, for the final unknown-key check
 */
public record HubConfig(ServerSettings server, HubSettings hub, SecuritySettings security, ClusterSettings cluster,
                        ConfigNode plugins, ConfigNode root) {

    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Reads a YAML file, with environment variables from the process. */
    public static HubConfig load(Path file) {
        return load(file, System.getenv());
    }

    /** Reads a YAML file, with the environment {@code env} (a launcher running several hubs sets keys per hub). */
    public static HubConfig load(Path file, Map<String, String> env) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file.toString(), "configuration file not found");
        }
        try {
            return create(() -> ConfigSources.file(file).build(), env);
        } catch (io.helidon.config.ConfigException e) {
            throw syntaxError(file.toString(), e);
        }
    }

    /**
     * A YAML syntax error in one line that names the line and column (SnakeYAML's own message spans a dozen lines,
     * with the text around the error, twice); any other Helidon config failure as it is.
     */
    private static RuntimeException syntaxError(String source, io.helidon.config.ConfigException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
                return new ConfigException(source, "YAML syntax error at line " + (yaml.getProblemMark().getLine() + 1)
                        + ", column " + (yaml.getProblemMark().getColumn() + 1) + ": " + yaml.getProblem());
            }
        }
        return e;
    }

    /** Reads YAML text, with the environment {@code env}. */
    public static HubConfig fromYaml(String yaml, Map<String, String> env) {
        try {
            return create(() -> ConfigSources.create(yaml, MediaTypes.APPLICATION_X_YAML), env);
        } catch (io.helidon.config.ConfigException e) {
            throw syntaxError("configuration", e);
        }
    }

    /** Reads YAML text, with environment variables from the process. */
    public static HubConfig fromYaml(String yaml) {
        return fromYaml(yaml, System.getenv());
    }

    /** The built-in defaults: what {@code ./alerthub start} runs without a file. */
    public static HubConfig defaults() {
        return fromYaml("{}", System.getenv());
    }

    /**
     * The file and the environment in one Helidon config, with {@code ${NAME}} resolved by Helidon and
     * {@code ${NAME:default}} by {@link ReferenceDefaults} (an environment variable overriding a key is looked up by
     * {@link HelidonConfigNode}); and the file alone, for the unknown-key check.
     */
    private static HubConfig create(Supplier<ConfigSource> file, Map<String, String> env) {
        Config merged = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .disableFilterServices()
                .sources(ConfigSources.create(variables(env)), file)
                .addFilter(new ReferenceDefaults())
                .build();
        Config fileOnly = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .disableValueResolving()
                .disableKeyResolving()
                .disableFilterServices()
                .sources(file)
                .build();
        return create(HelidonConfigNode.root(merged, fileOnly));
    }

    /** The environment variables a reference or a key can name (a name with a dot would be a section to Helidon). */
    private static Map<String, String> variables(Map<String, String> env) {
        Map<String, String> out = new HashMap<>();
        env.forEach((name, value) -> {
            if (VARIABLE.matcher(name).matches()) {
                out.put(name, value);
            }
        });
        return out;
    }

    static HubConfig create(ConfigNode root) {
        ServerSettings server = ServerSettings.create(root.child("server"));
        HubSettings hub = HubSettings.create(root.child("hub"));
        SecuritySettings security = SecuritySettings.create(root.child("security"));
        ClusterSettings cluster = ClusterSettings.create(root.child("cluster"));
        return new HubConfig(server, hub, security, cluster, root.child("plugins"), root);
    }

    /** Refuses any key nobody read: call once every plugin has read its section. */
    public void rejectUnknown() {
        root.rejectUnknown();
    }
}
