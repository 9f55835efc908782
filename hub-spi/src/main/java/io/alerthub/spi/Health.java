package io.alerthub.spi;

import java.util.Objects;

/**
 * What a notifier says about its channel.
 *
 * @param state  UP, DEGRADED (working but impaired: reconnecting, refusing some deliveries) or DOWN
 * @param reason one line for operators; empty when UP
 */
public record Health(State state, String reason) {

    /** Channel states, from best to worst. */
    public enum State { UP, DEGRADED, DOWN }

    public Health {
        Objects.requireNonNull(state, "state");
        reason = reason == null ? "" : reason;
    }

    public static Health up() {
        return new Health(State.UP, "");
    }

    public static Health degraded(String reason) {
        return new Health(State.DEGRADED, reason);
    }

    public static Health down(String reason) {
        return new Health(State.DOWN, reason);
    }

    /** The worse of the two; on a tie, this one. */
    public Health worst(Health other) {
        return other.state.compareTo(state) > 0 ? other : this;
    }
}
