package io.alerthub.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.alerthub.spi.ConfigException;
import io.alerthub.spi.ConfigNode;

import io.helidon.config.Config;

/**
 * The hub's {@link ConfigNode}: a section of a Helidon {@link Config} built by {@link HubConfig} from the YAML file and
 * the process environment, with Helidon's {@code ${NAME}} resolution and {@link ReferenceDefaults}.
 *
 * <p>The environment joins Helidon's config with its names unchanged, and a key is overridden by the variable named
 * like it: upper case, {@code .} and {@code -} as {@code _} ({@code plugins.mqtt.broker-uri} →
 * {@code PLUGINS_MQTT_BROKER_URI}), which wins over the file. Helidon's own environment source maps the other way, an
 * underscore to a dot, so {@code HUB_LOG_FSYNC_INTERVAL} would become {@code hub.log.fsync.interval} and turn
 * {@code hub.log.fsync} into a section: with kebab-case keys that are prefixes of each other, only a lookup from the
 * key is unambiguous. Unknown keys are checked against the file alone: an environment variable is never a typo.
 */
public final class HelidonConfigNode implements ConfigNode {

    /** A reference Helidon could not resolve: an environment variable (or key) that is not set. */
    private static final Pattern UNRESOLVED = Pattern.compile("(?<!\\\\)\\$\\{([^}:]+)}");

    private final Config root;
    private final Config node;
    private final Config fileNode;
    private final String key;
    private final Set<String> read;
    private final Set<String> sections;

    private HelidonConfigNode(Config root, Config node, Config fileNode, String key, Set<String> read,
                              Set<String> sections) {
        this.root = root;
        this.node = node;
        this.fileNode = fileNode;
        this.key = key;
        this.read = read;
        this.sections = sections;
    }

    /**
     * The root of a configuration.
     *
     * @param merged the file and the environment (its variables as root keys), references resolved: what is read
     * @param file   the file alone: what unknown keys are checked against
     */
    static HelidonConfigNode root(Config merged, Config file) {
        return new HelidonConfigNode(merged, merged, file, "", ConcurrentHashMap.newKeySet(),
                                     ConcurrentHashMap.newKeySet());
    }

    @Override
    public String key() {
        return display(key);
    }

    @Override
    public String key(String name) {
        return display(full(name));
    }

    @Override
    public HelidonConfigNode child(String name) {
        sections.add(full(name));
        return new HelidonConfigNode(root, node.get(name), fileNode.get(name), full(name), read, sections);
    }

    @Override
    public boolean exists(String name) {
        return value(name).exists();
    }

    @Override
    public List<String> keys() {
        if (!fileNode.exists() || fileNode.type() != Config.Type.OBJECT) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        fileNode.asNodeList().ifPresent(list -> list.forEach(n -> names.add(n.name())));
        return names;
    }

    @Override
    public Optional<String> string(String name) {
        markRead(name);
        Config c = value(name);
        if (!c.exists()) {
            return Optional.empty();
        }
        if (c.type() != Config.Type.VALUE) {
            throw error(name, "must be a single value, not a " + c.type().name().toLowerCase(Locale.ROOT));
        }
        return Optional.of(resolved(name, c.asString().orElse("")));
    }

    @Override
    public List<String> strings(String name, List<String> defaultValue) {
        markRead(name);
        Config c = value(name);
        if (!c.exists()) {
            return defaultValue;
        }
        return switch (c.type()) {
            case VALUE -> splitList(name, resolved(name, c.asString().orElse("")));
            case LIST -> {
                List<String> out = new ArrayList<>();
                List<Config> items = c.asNodeList().orElse(List.of());
                for (int i = 0; i < items.size(); i++) {
                    Config item = items.get(i);
                    if (item.type() != Config.Type.VALUE) {
                        throw error(name + "." + i, "must be a single value");
                    }
                    out.add(resolved(name + "." + i, item.asString().orElse("")));
                }
                yield List.copyOf(out);
            }
            default -> throw error(name, "must be a list");
        };
    }

    @Override
    public Map<String, String> map(String name) {
        markRead(name);
        Config c = value(name);
        if (!c.exists()) {
            return Map.of();
        }
        if (c.type() != Config.Type.OBJECT) {
            throw error(name, "must be a map of key: value");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Config item : c.asNodeList().orElse(List.of())) {
            String itemKey = name + "." + item.name();
            if (item.type() != Config.Type.VALUE) {
                throw error(itemKey, "must be a single value");
            }
            out.put(item.name(), resolved(itemKey, item.asString().orElse("")));
        }
        return Collections.unmodifiableMap(out);
    }

    @Override
    public List<ConfigNode> sections(String name) {
        Config c = node.get(name);
        if (!c.exists()) {
            markRead(name);
            return List.of();
        }
        if (c.type() != Config.Type.LIST) {
            throw error(name, "must be a list");
        }
        List<ConfigNode> out = new ArrayList<>();
        List<Config> items = c.asNodeList().orElse(List.of());
        if (items.isEmpty()) {
            markRead(name);
        }
        Config fileItems = fileNode.get(name);
        for (int i = 0; i < items.size(); i++) {
            String itemKey = full(name + "." + i);
            sections.add(itemKey);
            out.add(new HelidonConfigNode(root, items.get(i), fileItems.get(Integer.toString(i)), itemKey, read,
                                          sections));
        }
        return out;
    }

    @Override
    public void accept(String name) {
        markRead(name);
    }

    @Override
    public void rejectUnknown() {
        if (!fileNode.exists()) {
            return;
        }
        fileNode.traverse()
                .filter(c -> c.type() == Config.Type.VALUE || c.asNodeList().map(List::isEmpty).orElse(true))
                .map(c -> c.key().toString())
                // an empty section ({} or []) that the hub or a plugin reads is no typo
                .filter(k -> !isRead(k) && !sections.contains(k))
                .findFirst()
                .ifPresent(k -> {
                    throw new ConfigException(display(k), "unknown key");
                });
    }

    /** The node of {@code name}: the environment variable named like its key first, then the file's. */
    private Config value(String name) {
        String envName = full(name).toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        Config fromEnvironment = root.get(envName);
        if (fromEnvironment.exists() && fromEnvironment.type() == Config.Type.VALUE) {
            return fromEnvironment;
        }
        return node.get(name);
    }

    /** A value with its references resolved by Helidon: one left over names a variable that is not set. */
    private String resolved(String name, String value) {
        if (value.indexOf("${") >= 0) {
            Matcher m = UNRESOLVED.matcher(value);
            if (m.find()) {
                throw error(name, "refers to environment variable " + m.group(1) + ", which is not set");
            }
        }
        return value;
    }

    private boolean isRead(String fullKey) {
        String k = fullKey;
        while (true) {
            if (read.contains(k)) {
                return true;
            }
            int dot = k.lastIndexOf('.');
            if (dot < 0) {
                return false;
            }
            k = k.substring(0, dot);
        }
    }

    private void markRead(String name) {
        read.add(full(name));
    }

    private String full(String name) {
        return key.isEmpty() ? name : key + "." + name;
    }

    private List<String> splitList(String name, String value) {
        if (value.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw error(name, "has an empty item in '" + value + "'");
            }
            out.add(p);
        }
        return List.copyOf(out);
    }

    /** {@code security.tokens.0.token} → {@code security.tokens[0].token}. */
    private static String display(String fullKey) {
        return fullKey.replaceAll("\\.(\\d+)(?=\\.|$)", "[$1]");
    }
}
