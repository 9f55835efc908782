package io.alerthub.core.event;

import java.time.Instant;

import io.alerthub.spi.Event;
import io.alerthub.spi.Severity;
import io.alerthub.spi.SubscriptionPattern;
import io.alerthub.core.event.ViolationAck;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns an operator's acknowledgement into the {@code ack_update} event every channel sees:
 * payload {@code {"violation_id":..,"characteristic_id":..,"acknowledged":true,"ack_user":..,"ack_reason":..}}.
 */
public final class Acknowledgements {

    public static final String TYPE = "ack_update";
    public static final int MAX_USER = 128;
    public static final int MAX_REASON = 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Acknowledgements() {
    }

    /**
     * Checks the acknowledgement and builds its event.
     *
     * @throws InvalidEventException naming the bad field
     */
    public static EventDraft draft(ViolationAck ack, Instant receivedAt) {
        if (ack.violationId() == null || !SubscriptionPattern.CHARACTERISTIC_ID.matcher(ack.violationId()).matches()) {
            throw invalid("violation_id", "violation_id must be 1 to 64 characters A-Z a-z 0-9 _ -");
        }
        if (ack.user() == null || ack.user().isBlank() || ack.user().length() > MAX_USER
                || ack.user().codePoints().anyMatch(Character::isISOControl)) {
            throw invalid("user", "user is required: 1 to " + MAX_USER + " printable characters");
        }
        String reason = ack.reason() == null ? "" : ack.reason();
        if (reason.length() > MAX_REASON) {
            throw invalid("reason", "reason must be at most " + MAX_REASON + " characters");
        }
        if (ack.characteristicId() != null && !ack.characteristicNumeric()
                && !SubscriptionPattern.CHARACTERISTIC_ID.matcher(ack.characteristicId()).matches()) {
            throw invalid("characteristic_id", "characteristic_id must be an integer or a string of 1 to 64"
                    + " characters A-Z a-z 0-9 _ -");
        }
        ObjectNode payload = MAPPER.createObjectNode();
        if (ack.violationNumeric()) {
            payload.put("violation_id", Long.parseLong(ack.violationId()));
        } else {
            payload.put("violation_id", ack.violationId());
        }
        if (ack.characteristicId() == null) {
            payload.putNull("characteristic_id");
        } else if (ack.characteristicNumeric()) {
            payload.put("characteristic_id", Long.parseLong(ack.characteristicId()));
        } else {
            payload.put("characteristic_id", ack.characteristicId());
        }
        payload.put("acknowledged", true);
        payload.put("ack_user", ack.user());
        payload.put("ack_reason", reason);
        return EventDraft.builder(TYPE)
                .characteristicId(ack.characteristicId(), ack.characteristicNumeric())
                .severity(Severity.INFO)
                .receivedAt(receivedAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
                .payload(payload)
                .draft();
    }

    private static InvalidEventException invalid(String field, String message) {
        return new InvalidEventException(InvalidEventException.Kind.INVALID_EVENT, field, message);
    }
}
