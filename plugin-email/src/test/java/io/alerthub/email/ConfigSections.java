package io.alerthub.email;


import io.alerthub.core.config.HubConfig;
import io.alerthub.spi.ConfigNode;

/** {@code plugins.email} sections read from YAML, for tests of the settings without a running hub. */
final class ConfigSections {

    private ConfigSections() {
    }

    /** The {@code plugins.email} section of a configuration that holds only {@code emailYaml} (unindented keys). */
    static ConfigNode email(String emailYaml) {
        return email(emailYaml, java.util.Map.of());
    }

    static ConfigNode email(String emailYaml, java.util.Map<String, String> env) {
        StringBuilder yaml = new StringBuilder("plugins:\n  email:\n");
        for (String line : emailYaml.stripIndent().split("\n")) {
            yaml.append("    ").append(line).append('\n');
        }
        if (emailYaml.isBlank()) {
            yaml.append("    enabled: true\n");
        }
        return HubConfig.fromYaml(yaml.toString(), env).plugins().child("email");
    }
}
