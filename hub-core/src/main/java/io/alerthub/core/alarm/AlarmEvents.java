package io.alerthub.core.alarm;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.alerthub.core.event.Acknowledgements;
import io.alerthub.core.event.EventDraft;
import io.alerthub.core.event.InvalidEventException;
import io.alerthub.spi.Severity;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The events the alarms put into the log: {@code alarm_update} (every change; a broadcast type, so every dashboard
 * gets it) and {@code violation_cleared} (a clear made through the API). Both go on the alarm's characteristic and
 * topics, so they reach whoever follows the violation, and are INFO (an update asks nobody to acknowledge it).
 */
final class AlarmEvents {

    private AlarmEvents() {
    }

    /**
     * An {@code alarm_update}: payload the alarm, plus {@code change} and {@code cause_seq} (the event that made the
     * change; 0 for an escalation, which no event makes).
     */
    static EventDraft update(Alarm alarm, String change, long causeSeq, Instant now) {
        ObjectNode payload = alarm.toJson();
        payload.put("change", change);
        payload.put("cause_seq", causeSeq);
        return on(alarm, EventDraft.builder(AlarmBook.ALARM_UPDATE), now).payload(payload).draft();
    }

    /**
     * A {@code violation_cleared} for an alarm: payload {@code violation_id}, {@code user}, {@code reason}.
     *
     * @throws InvalidEventException naming {@code user} or {@code reason} when one breaks a rule
     */
    static EventDraft cleared(Alarm alarm, String user, String reason, Instant now) {
        if (user == null || user.isBlank() || user.length() > Acknowledgements.MAX_USER
                || user.codePoints().anyMatch(Character::isISOControl)) {
            throw new InvalidEventException(InvalidEventException.Kind.INVALID_EVENT, "user",
                                            "user is required: 1 to " + Acknowledgements.MAX_USER
                                                    + " printable characters");
        }
        String why = reason == null ? "" : reason;
        if (why.length() > Acknowledgements.MAX_REASON) {
            throw new InvalidEventException(InvalidEventException.Kind.INVALID_EVENT, "reason",
                                            "reason must be at most " + Acknowledgements.MAX_REASON + " characters");
        }
        ObjectNode payload = alarm.toJson().retain("violation_id");
        payload.put("user", user);
        payload.put("reason", why);
        return on(alarm, EventDraft.builder(AlarmBook.CLEARED), now).payload(payload).draft();
    }

    private static EventDraft.Builder on(Alarm alarm, EventDraft.Builder b, Instant now) {
        List<String> topics = alarm.topics();
        if (alarm.characteristicId() != null) {
            b.characteristicId(alarm.characteristicId(), alarm.characteristicNumeric());
            topics = topics.stream().filter(t -> !t.equals("characteristic:" + alarm.characteristicId())).toList();
        }
        return b.topics(topics).severity(Severity.INFO).receivedAt(now.truncatedTo(ChronoUnit.MILLIS));
    }
}
