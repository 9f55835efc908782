package io.alerthub.core.cluster;

import java.time.Instant;

import io.alerthub.core.event.EventDraft;
import io.alerthub.core.event.WireForm;
import io.alerthub.spi.Event;

import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;

/**
 * One event as one stream message. The body is the event's wire form without its {@code seq}, which the stream's
 * sequence supplies; a header carries when the hub received it (its dedup window and retention age, the same on every
 * instance). The producer's id, or the hub's own for an event without one, goes in {@code Nats-Msg-Id} (set by the
 * publisher), prefixed so the two can never meet: {@code p:<id>}, {@code h:<request>:<index>}.
 */
final class StreamRecords {

    static final String RECEIVED = "AlertHub-Received";

    private StreamRecords() {
    }

    static Message message(String subject, EventDraft draft) {
        Headers headers = new Headers().add(RECEIVED, Long.toString(draft.receivedAt().toEpochMilli()));
        return NatsMessage.builder().subject(subject).headers(headers).data(draft.jsonWithoutSeq()).build();
    }

    /** The message id of the {@code index}th draft of request {@code request}. */
    static String messageId(EventDraft draft, String request, int index) {
        return draft.id().map(id -> "p:" + id).orElseGet(() -> "h:" + request + ":" + index);
    }

    /**
     * The event a stream message holds.
     *
     * @throws IllegalArgumentException when it is not one (a message some other program put on the subject)
     */
    static Event event(Message message) {
        long seq = message.metaData().streamSequence();
        String received = message.getHeaders() == null ? null : message.getHeaders().getFirst(RECEIVED);
        Instant receivedAt;
        try {
            receivedAt = received == null ? message.metaData().timestamp().toInstant()
                    : Instant.ofEpochMilli(Long.parseLong(received));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad " + RECEIVED + " header: " + received);
        }
        return WireForm.read(WireForm.withSeq(message.getData(), seq), receivedAt);
    }
}
