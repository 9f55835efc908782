package io.alerthub.bench;

import java.time.Duration;

/**
 * Where a publishing connection sends events: a server's HTTP API (pipelined, so that a server busy fanning out
 * is never also waited on between requests, or one request at a time as most producers post), or an MQTT broker
 * directly. One sink per connection, used by one
 * thread; answers come in the order the events were sent.
 */
interface EventSink extends AutoCloseable {

    /** How one event ended; called on the sink's own thread, in send order. */
    interface Outcome {
        void accepted();

        void failed(String why);
    }

    /**
     * Sends one sample event, stamped with the send time just before it is written. Blocks while the sink has as
     * many events unanswered as it allows.
     */
    void send(int characteristic, long pseq, Outcome outcome);

    /**
     * Sends the events {@code (characteristics[i], pseqs[i])} in one request, all stamped {@code sentNanos} (epoch
     * nanoseconds), answered once for all of them. Only a protocol with batches has it (HTTP's
     * {@code {"events":[...]}}).
     */
    default void send(int[] characteristics, long[] pseqs, long sentNanos, Outcome outcome) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " sends one event per message");
    }

    /** Waits until every event sent has been answered, at most {@code timeout}. */
    void awaitAnswers(Duration timeout);

    @Override
    void close();
}
