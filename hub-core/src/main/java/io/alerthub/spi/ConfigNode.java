package io.alerthub.spi;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.helidon.config.Config;

/**
 * A section of the hub's YAML configuration, read into typed values that are checked as they are read.
 *
 * <ul>
 *   <li>Every key can be overridden by an environment variable: the full key in upper case with
 *       {@code .} and {@code -} turned into {@code _} ({@code plugins.mqtt.broker-uri} →
 *       {@code PLUGINS_MQTT_BROKER_URI}). Lists given that way are comma-separated.</li>
 *   <li>A value may refer to an environment variable: {@code ${NAME}} or {@code ${NAME:default}}.</li>
 *   <li>Every key that is read is remembered; {@link #rejectUnknown()} then refuses any key of the section
 *       that nobody read, so a typo stops the start instead of being ignored.</li>
 *   <li>Every error is a {@link ConfigException} whose message starts with the full key.</li>
 * </ul>
 */
public final class ConfigNode {

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?}");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private final Config node;
    private final String key;
    private final Set<String> read;
    private final Set<String> sections;
    private final Function<String, String> env;

    private ConfigNode(Config node, String key, Set<String> read, Set<String> sections, Function<String, String> env) {
        this.node = node;
        this.key = key;
        this.read = read;
        this.sections = sections;
        this.env = env;
    }

    /** The root of a configuration, with environment variables from {@code env} (usually {@code System::getenv}). */
    public static ConfigNode root(Config config, Function<String, String> env) {
        return new ConfigNode(config, "", ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet(), env);
    }

    /** This section's full key ({@code plugins.mqtt}); empty for the root. */
    public String key() {
        return key;
    }

    /** The full key of {@code name} in this section, as printed in errors ({@code security.tokens[0].token}). */
    public String key(String name) {
        return display(key.isEmpty() ? name : key + "." + name);
    }

    /** A sub-section ({@code smtp} of {@code plugins.email}). It exists or not; reading it never fails. */
    public ConfigNode child(String name) {
        sections.add(full(name));
        return new ConfigNode(node.get(name), full(name), read, sections, env);
    }

    /** Whether the key is set, in the file or the environment. */
    public boolean exists(String name) {
        return envValue(name) != null || node.get(name).exists();
    }

    /** The names of this section's keys, in file order. */
    public List<String> keys() {
        if (!node.exists() || node.type() != Config.Type.OBJECT) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        node.asNodeList().ifPresent(list -> list.forEach(n -> names.add(n.name())));
        return names;
    }

    public Optional<String> string(String name) {
        markRead(name);
        String fromEnv = envValue(name);
        if (fromEnv != null) {
            return Optional.of(expand(name, fromEnv));
        }
        Config c = node.get(name);
        if (!c.exists()) {
            return Optional.empty();
        }
        if (c.type() != Config.Type.VALUE) {
            throw error(name, "must be a single value, not a " + c.type().name().toLowerCase(Locale.ROOT));
        }
        return Optional.of(expand(name, c.asString().orElse("")));
    }

    public String string(String name, String defaultValue) {
        return string(name).orElse(defaultValue);
    }

    /** A value that must be given (and not empty). */
    public String requiredString(String name) {
        String v = string(name).orElse("");
        if (v.isBlank()) {
            throw error(name, "is required");
        }
        return v;
    }

    public int integer(String name, int defaultValue, int min, int max) {
        return (int) longValue(name, defaultValue, min, max);
    }

    public long longValue(String name, long defaultValue, long min, long max) {
        Optional<String> v = string(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = Long.parseLong(v.get().trim());
        } catch (NumberFormatException e) {
            throw error(name, "'" + v.get() + "' is not a whole number");
        }
        if (parsed < min || parsed > max) {
            throw error(name, parsed + " is out of range; it must be between " + min + " and " + max);
        }
        return parsed;
    }

    public boolean bool(String name, boolean defaultValue) {
        Optional<String> v = string(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        return switch (v.get().trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error(name, "'" + v.get() + "' must be true or false");
        };
    }

    /** A duration: ISO-8601 ({@code PT30S}) or short ({@code 30s}, {@code 500ms}, {@code 10m}, {@code 1h}, {@code 7d}). */
    public Duration duration(String name, Duration defaultValue) {
        Optional<String> v = string(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        String text = v.get().trim();
        Duration d;
        Matcher m = SHORT_DURATION.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else {
            try {
                d = Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw error(name, "'" + text + "' is not a duration (PT30S, 30s, 500ms, 10m, 1h, 7d)");
            }
        }
        if (d.isNegative()) {
            throw error(name, "must not be negative");
        }
        return d;
    }

    /** A duration that must be longer than zero. */
    public Duration positiveDuration(String name, Duration defaultValue) {
        Duration d = duration(name, defaultValue);
        if (d.isZero()) {
            throw error(name, "must be longer than zero");
        }
        return d;
    }

    public URI uri(String name, String defaultValue) {
        String v = string(name, defaultValue);
        try {
            URI uri = new URI(v);
            if (uri.getScheme() == null) {
                throw error(name, "'" + v + "' needs a scheme (tcp://host:port)");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw error(name, "'" + v + "' is not a URI: " + e.getReason());
        }
    }

    public Path path(String name, String defaultValue) {
        String v = string(name, defaultValue);
        try {
            return Path.of(v);
        } catch (InvalidPathException e) {
            throw error(name, "'" + v + "' is not a path: " + e.getReason());
        }
    }

    /** One of an enum's constants, case-insensitive. */
    public <E extends Enum<E>> E enumValue(String name, Class<E> type, E defaultValue) {
        Optional<String> v = string(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v.get().trim().replace('-', '_'))) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw error(name, "'" + v.get() + "' must be one of " + String.join(", ", names));
    }

    /** A list of values: a YAML list, or one comma-separated value. */
    public List<String> strings(String name, List<String> defaultValue) {
        markRead(name);
        String fromEnv = envValue(name);
        if (fromEnv != null) {
            return splitList(name, expand(name, fromEnv));
        }
        Config c = node.get(name);
        if (!c.exists()) {
            return defaultValue;
        }
        return switch (c.type()) {
            case VALUE -> splitList(name, expand(name, c.asString().orElse("")));
            case LIST -> {
                List<String> out = new ArrayList<>();
                List<Config> items = c.asNodeList().orElse(List.of());
                for (int i = 0; i < items.size(); i++) {
                    Config item = items.get(i);
                    if (item.type() != Config.Type.VALUE) {
                        throw error(name + "." + i, "must be a single value");
                    }
                    out.add(expand(name + "." + i, item.asString().orElse("")));
                }
                yield List.copyOf(out);
            }
            default -> throw error(name, "must be a list");
        };
    }

    /** A map of single values ({@code qos: { default: 1, sample: 0 }}), in file order. */
    public Map<String, String> map(String name) {
        markRead(name);
        Config c = node.get(name);
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
            String fromEnv = envValue(itemKey);
            out.put(item.name(), expand(itemKey, fromEnv != null ? fromEnv : item.asString().orElse("")));
        }
        return Collections.unmodifiableMap(out);
    }

    /** A list of sections ({@code tokens: [ {token: .., roles: [..]}, ... ]}). */
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
        for (int i = 0; i < items.size(); i++) {
            sections.add(full(name + "." + i));
            out.add(new ConfigNode(items.get(i), full(name + "." + i), read, sections, env));
        }
        return out;
    }

    /** An error about {@code name} in this section. */
    public ConfigException error(String name, String message) {
        return new ConfigException(key(name), message);
    }

    /** An error about this section itself. */
    public ConfigException error(String message) {
        return new ConfigException(display(key), message);
    }

    /** Marks a key as known without reading it (a key another part of the hub reads). */
    public void accept(String name) {
        markRead(name);
    }

    /**
     * Refuses the first key of this section that was never read.
     *
     * @throws ConfigException naming the key
     */
    public void rejectUnknown() {
        if (!node.exists()) {
            return;
        }
        node.traverse()
                .filter(c -> c.type() == Config.Type.VALUE || c.asNodeList().map(List::isEmpty).orElse(true))
                .map(c -> c.key().toString())
                // an empty section ({} or []) that the hub or a plugin reads is no typo
                .filter(k -> !isRead(k) && !sections.contains(k))
                .findFirst()
                .ifPresent(k -> {
                    throw new ConfigException(display(k), "unknown key");
                });
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

    private String envValue(String name) {
        String envName = full(name).toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        return env.apply(envName);
    }

    private String expand(String name, String value) {
        if (value.indexOf("${") < 0) {
            return value;
        }
        Matcher m = ENV_REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = env.apply(m.group(1));
            if (v == null) {
                if (m.group(2) == null) {
                    throw error(name, "refers to environment variable " + m.group(1) + ", which is not set");
                }
                v = m.group(2);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
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
