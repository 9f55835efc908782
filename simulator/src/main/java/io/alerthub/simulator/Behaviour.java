package io.alerthub.simulator;

import java.util.Locale;

/** How a simulated process misbehaves once its limits are established. */
enum Behaviour {
    /** Common-cause noise only: the odd false alarm, as real in-control processes give. */
    IN_CONTROL("in-control", "in control"),
    /** Tool wear: the mean creeps away until an operator adjusts the machine, then creeps again. */
    DRIFT("drift", "slow drift, adjusted from time to time"),
    /** A sudden shift of the mean (a new batch of material, a bumped fixture) until its cause is removed. */
    SHIFT("shift", "sudden shifts");

    private final String key;
    private final String description;

    Behaviour(String key, String description) {
        this.key = key;
        this.description = description;
    }

    /** The name used on the command line. */
    String key() {
        return key;
    }

    String description() {
        return description;
    }

    static Behaviour parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (Behaviour b : values()) {
            if (b.key.equals(t)) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown behaviour '" + text + "' (in-control, drift or shift)");
    }
}
