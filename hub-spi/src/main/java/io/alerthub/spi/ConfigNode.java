package io.alerthub.spi;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A section of the hub's configuration (a plugin's {@code plugins.<name>}), read into typed values that are
 * checked as they are read.
 *
 * <ul>
 *   <li>Values come from the YAML file, overridden by environment variables, with {@code ${NAME}} and
 *       {@code ${NAME:default}} resolved (docs/operations.md); the hub does all of that before a plugin reads.</li>
 *   <li>Every key that is read is remembered; {@link #rejectUnknown()} then refuses any key of the section
 *       that nobody read, so a typo stops the start instead of being ignored.</li>
 *   <li>Every error is a {@link ConfigException} whose message starts with the full key.</li>
 * </ul>
 *
 * <p>The hub implements the few reading primitives; the typed readers below are built on them, so that every
 * plugin checks numbers, durations and URIs the same way.
 */
public interface ConfigNode {

    /** This section's full key as printed in errors ({@code plugins.mqtt}, {@code security.tokens[0]}); empty for the root. */
    String key();

    /** The full key of {@code name} in this section, as printed in errors ({@code security.tokens[0].token}). */
    String key(String name);

    /** A sub-section ({@code smtp} of {@code plugins.email}). It exists or not; reading it never fails. */
    ConfigNode child(String name);

    /** Whether the key is set, in the file or the environment. */
    boolean exists(String name);

    /** The names of this section's keys, in file order. */
    List<String> keys();

    /** A single value, when set. */
    Optional<String> string(String name);

    /** A list of values: a YAML list, or one comma-separated value. */
    List<String> strings(String name, List<String> defaultValue);

    /** A map of single values ({@code qos: { default: 1, sample: 0 }}), in file order. */
    Map<String, String> map(String name);

    /** A list of sections ({@code tokens: [ {token: .., roles: [..]}, ... ]}). */
    List<ConfigNode> sections(String name);

    /** Marks a key as known without reading it (a key another part of the hub reads). */
    void accept(String name);

    /**
     * Refuses the first key of this section that was never read.
     *
     * @throws ConfigException naming the key
     */
    void rejectUnknown();

    /** An error about {@code name} in this section. */
    default ConfigException error(String name, String message) {
        return new ConfigException(key(name), message);
    }

    /** An error about this section itself. */
    default ConfigException error(String message) {
        return new ConfigException(key(), message);
    }

    default String string(String name, String defaultValue) {
        return string(name).orElse(defaultValue);
    }

    /** A value that must be given (and not empty). */
    default String requiredString(String name) {
        String v = string(name).orElse("");
        if (v.isBlank()) {
            throw error(name, "is required");
        }
        return v;
    }

    default int integer(String name, int defaultValue, int min, int max) {
        return (int) longValue(name, defaultValue, min, max);
    }

    default long longValue(String name, long defaultValue, long min, long max) {
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

    default boolean bool(String name, boolean defaultValue) {
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
    default Duration duration(String name, Duration defaultValue) {
        Optional<String> v = string(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        String text = v.get().trim();
        Duration d = Durations.shortForm(text);
        if (d == null) {
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
    default Duration positiveDuration(String name, Duration defaultValue) {
        Duration d = duration(name, defaultValue);
        if (d.isZero()) {
            throw error(name, "must be longer than zero");
        }
        return d;
    }

    default URI uri(String name, String defaultValue) {
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

    default Path path(String name, String defaultValue) {
        String v = string(name, defaultValue);
        try {
            return Path.of(v);
        } catch (InvalidPathException e) {
            throw error(name, "'" + v + "' is not a path: " + e.getReason());
        }
    }

    /** One of an enum's constants, case-insensitive ({@code -} stands for {@code _}). */
    default <E extends Enum<E>> E enumValue(String name, Class<E> type, E defaultValue) {
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
}
