package io.alerthub.core.dispatch;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The state of a single consumer that runs under a {@link LaneLease} (the notification policy's: its cursor, groups,
 * escalations, outbox), kept beside the lease in the engine, so the instance that takes the consumer over goes on
 * from it. Written only by compare-and-set: after another instance claimed it, a stale holder's write fails.
 */
public interface LeasedState {

    /**
     * Reads the state and claims it (writes it back, so that a write of the previous holder, made from what it last
     * read, fails from now on).
     *
     * @return the state; empty when none was ever written
     * @throws IllegalStateException when the engine cannot be reached
     */
    Optional<JsonNode> claim();

    /**
     * Replaces the state.
     *
     * @return {@code false} when it was not written: another instance claimed it since, or the engine did not answer
     */
    boolean write(JsonNode state);
}
