package io.alerthub.spi;

/** How urgent an event is. Ordered: a rule with a minimum severity matches that level and above. */
public enum Severity {
    INFO, WARNING, CRITICAL;

    /** {@code true} when this severity is at least {@code minimum}. */
    public boolean atLeast(Severity minimum) {
        return compareTo(minimum) >= 0;
    }
}
