package io.alerthub.spi;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The short duration form of the configuration: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}, {@code 7d}. */
final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private Durations() {
    }

    /** The duration, or {@code null} when {@code text} is not in the short form. */
    static Duration shortForm(String text) {
        Matcher m = SHORT.matcher(text);
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
