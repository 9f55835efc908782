package io.alerthub.spi;

import java.util.regex.Pattern;

/**
 * A topic or event-type pattern, as WebSocket subscriptions and {@code GET /api/v1/events} take them.
 *
 * <ul>
 *   <li>{@code *} alone matches everything;</li>
 *   <li>a pattern ending in {@code .*} or {@code :*} matches one or more further segments
 *       ({@code alert.*} matches {@code alert.created} and {@code alert.created.v2}, not {@code alert});
 *       ({@code characteristic:*} matches every characteristic topic);</li>
 *   <li>anything else matches exactly.</li>
 * </ul>
 *
 * @param text   the pattern as given
 * @param prefix for a wildcard pattern, what a match starts with ({@code alert.}, {@code characteristic:},
 *               empty for {@code *}); for an exact pattern, the whole text
 * @param exact  {@code true} when the pattern has no wildcard
 */
public record SubscriptionPattern(String text, String prefix, boolean exact) {

    /** Event types: {@code [a-z0-9_]+(\.[a-z0-9_]+)*}, at most 64 characters. */
    public static final Pattern TYPE = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_]+)*");
    /** Topics: {@code name:value}. */
    public static final Pattern TOPIC = Pattern.compile("[a-z0-9_]+:[A-Za-z0-9_.-]{1,64}");
    /** Characteristic ids given as text. */
    public static final Pattern CHARACTERISTIC_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    public static final int MAX_TYPE_LENGTH = 64;

    private static final Pattern TYPE_PREFIX = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_]+)*\\.");
    private static final Pattern TOPIC_PREFIX = Pattern.compile("[a-z0-9_]+:([A-Za-z0-9_.-]{0,63}\\.)?");

    /**
     * A topic pattern: {@code *}, {@code name:*}, {@code name:value}, or {@code name:value.*}.
     *
     * @throws IllegalArgumentException with a message fit for the client
     */
    public static SubscriptionPattern topic(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("a topic pattern must not be empty");
        }
        if (text.equals("*")) {
            return new SubscriptionPattern(text, "", false);
        }
        if (text.endsWith("*")) {
            String prefix = text.substring(0, text.length() - 1);
            if (TOPIC_PREFIX.matcher(prefix).matches()) {
                return new SubscriptionPattern(text, prefix, false);
            }
        } else if (TOPIC.matcher(text).matches()) {
            return new SubscriptionPattern(text, text, true);
        }
        throw new IllegalArgumentException("topic pattern '" + text
                + "' must be name:value, name:*, name:value.* or *");
    }

    /**
     * An event-type pattern: {@code *}, a type, or {@code prefix.*}.
     *
     * @throws IllegalArgumentException with a message fit for the client
     */
    public static SubscriptionPattern event(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("an event pattern must not be empty");
        }
        if (text.length() <= MAX_TYPE_LENGTH) {
            if (text.equals("*")) {
                return new SubscriptionPattern(text, "", false);
            }
            if (text.endsWith("*")) {
                String prefix = text.substring(0, text.length() - 1);
                if (TYPE_PREFIX.matcher(prefix).matches()) {
                    return new SubscriptionPattern(text, prefix, false);
                }
            } else if (TYPE.matcher(text).matches()) {
                return new SubscriptionPattern(text, text, true);
            }
        }
        throw new IllegalArgumentException("event pattern '" + text
                + "' must be an event type, a type prefix ending in .* (alert.*) or *");
    }

    /** Whether {@code value} (a topic or an event type) matches. */
    public boolean matches(String value) {
        if (exact) {
            return text.equals(value);
        }
        return value.length() > prefix.length() && value.startsWith(prefix);
    }

    /** Whether any of {@code values} matches. */
    public boolean matchesAny(Iterable<String> values) {
        for (String v : values) {
            if (matches(v)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }
}
