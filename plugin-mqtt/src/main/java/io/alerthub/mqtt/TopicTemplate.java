package io.alerthub.mqtt;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A topic template such as {@code alerthub/characteristic/{characteristic_id}/{type}}: literal text and
 * placeholders, checked once when the plugin is created and rendered for every event.
 *
 * <p>Placeholder values go through {@link TopicEncoding}, so an event can never add a level or a wildcard;
 * the literal text is refused at start when it holds a wildcard ({@code +}, {@code #}), NUL or a control
 * character, starts with {@code $} (the broker's own topics), or is too long for MQTT's 65,535-byte limit
 * once every placeholder took its largest value.
 */
final class TopicTemplate {

    /** What a template may refer to. */
    enum Placeholder {
        TYPE("type"), CHARACTERISTIC_ID("characteristic_id"), SEVERITY("severity"), TOPIC("topic");

        private final String name;

        Placeholder(String name) {
            this.name = name;
        }

        String text() {
            return "{" + name + "}";
        }

        static Placeholder named(String name) {
            for (Placeholder p : values()) {
                if (p.name.equals(name)) {
                    return p;
                }
            }
            return null;
        }
    }

    /** The values of one rendering; {@code null} or empty renders as {@value TopicEncoding#EMPTY}. */
    record Values(String type, String characteristicId, String severity, String topic) {

        String of(Placeholder p) {
            return switch (p) {
                case TYPE -> type;
                case CHARACTERISTIC_ID -> characteristicId;
                case SEVERITY -> severity;
                case TOPIC -> topic;
            };
        }
    }

    /** MQTT's limit on a topic name, in UTF-8 bytes. */
    static final int MAX_TOPIC_BYTES = 65_535;
    static final int MAX_TEMPLATE_BYTES = 4096;
    static final int MAX_PLACEHOLDERS = 32;

    private final String text;
    private final List<Object> parts;
    private final Set<Placeholder> used;

    private TopicTemplate(String text, List<Object> parts, Set<Placeholder> used) {
        this.text = text;
        this.parts = parts;
        this.used = used;
    }

    /**
     * Parses and checks a template.
     *
     * @throws IllegalArgumentException saying what is wrong (the caller adds the configuration key)
     */
    static TopicTemplate parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("must not be empty");
        }
        if (text.startsWith("$")) {
            throw new IllegalArgumentException("'" + text + "' must not start with $ (topics starting with $ belong"
                                                       + " to the broker)");
        }
        if (TopicEncoding.utf8Length(text) > MAX_TEMPLATE_BYTES) {
            throw new IllegalArgumentException("must be at most " + MAX_TEMPLATE_BYTES + " bytes");
        }
        List<Object> parts = new ArrayList<>();
        Set<Placeholder> used = EnumSet.noneOf(Placeholder.class);
        StringBuilder literal = new StringBuilder();
        int placeholders = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '{') {
                int end = text.indexOf('}', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("'" + text + "' has a '{' at position " + i + " that is never"
                                                               + " closed");
                }
                String name = text.substring(i + 1, end);
                Placeholder p = Placeholder.named(name);
                if (p == null) {
                    throw new IllegalArgumentException("'" + text + "' has an unknown placeholder {" + name
                                                               + "}; use " + known());
                }
                if (!literal.isEmpty()) {
                    parts.add(literal.toString());
                    literal.setLength(0);
                }
                parts.add(p);
                used.add(p);
                placeholders++;
                i = end + 1;
                continue;
            }
            if (c == '}') {
                throw new IllegalArgumentException("'" + text + "' has a '}' at position " + i + " without a '{'");
            }
            if (c == '+' || c == '#') {
                throw new IllegalArgumentException("'" + text + "' must not contain the wildcard '" + c
                                                           + "' (a topic to publish to names one topic)");
            }
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                throw new IllegalArgumentException("'" + text.replaceAll("\\p{Cntrl}", "?")
                                                           + "' must not contain NUL or control characters");
            }
            literal.append(c);
            i++;
        }
        if (!literal.isEmpty()) {
            parts.add(literal.toString());
        }
        if (placeholders > MAX_PLACEHOLDERS) {
            throw new IllegalArgumentException("has " + placeholders + " placeholders; at most " + MAX_PLACEHOLDERS
                                                       + " are allowed");
        }
        return new TopicTemplate(text, List.copyOf(parts), used);
    }

    private static String known() {
        List<String> names = new ArrayList<>();
        for (Placeholder p : Placeholder.values()) {
            names.add(p.text());
        }
        return String.join(", ", names);
    }

    boolean uses(Placeholder p) {
        return used.contains(p);
    }

    /** The topic for these values; within MQTT's limits by construction. */
    String render(Values values) {
        StringBuilder out = new StringBuilder(text.length() + 32);
        for (Object part : parts) {
            if (part instanceof Placeholder p) {
                out.append(TopicEncoding.encode(values.of(p)));
            } else {
                out.append((String) part);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
