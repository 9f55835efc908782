package io.alerthub.spi;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One notification for people, as the hub's notification policy decided it: a single event, a digest of several, or
 * an escalation about alarms nobody acknowledged, for one receiver. A {@link NotificationSender} renders and sends it;
 * which events go to whom, grouping, rate limits, silences, inhibition, escalation and retries are the hub's.
 *
 * @param id             what makes this notification this one: the same id when the hub sends it again (after a
 *                       failed attempt or a restart), so a channel that can de-duplicate (a mail's Message-ID, a
 *                       webhook's idempotency header) may
 * @param kind           what it is about
 * @param receiver       the receiver's name ({@code notify.receivers.<name>}, {@code quality})
 * @param address        where it goes on the sender's channel, as the sender read it at start
 *                       ({@link NotificationSender#address})
 * @param createdAt      when the policy decided it
 * @param events         the events it lists, oldest first: all of them, or the first {@code digest-size} of a digest;
 *                       for an escalation, the events that opened its alarms (when the event log still holds them)
 * @param eventCount     how many events (or, for an escalation, alarms) it stands for; at least {@code events.size()}
 * @param summary        counts over everything it stands for, not only what it lists
 * @param alarms         for an escalation, the alarms it is about; empty otherwise
 * @param escalationStep for an escalation, the step (1 for the first); 0 otherwise
 * @param repeat         for an escalation, how many times the last step was sent before (0 for the step itself)
 */
public record Notification(String id, Kind kind, String receiver, String address, Instant createdAt, List<Event> events,
                           long eventCount, Summary summary, List<Alarm> alarms, int escalationStep, int repeat) {

    /** What a notification is about. */
    public enum Kind {
        /** One event. */
        EVENT,
        /** Several events that arrived within a group window (or while the rate limit held them back). */
        DIGEST,
        /** Alarms that nobody acknowledged or cleared within an escalation step's delay. */
        ESCALATION
    }

    public Notification {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(createdAt, "createdAt");
        events = List.copyOf(events);
        Objects.requireNonNull(summary, "summary");
        alarms = List.copyOf(alarms);
    }

    /**
     * Counts over every event a notification stands for.
     *
     * @param byCharacteristic events per characteristic, by its name ({@code payload.characteristic_name}) or
     *                         {@code #<id>}; {@link #NO_CHARACTERISTIC} for events without one; most first
     * @param byRule           events per rule ({@code payload.rule_name}), most first
     * @param bySeverity       events per severity
     * @param byType           events per type, in the order first seen
     * @param first            the earliest event time, or {@code null} when there is none
     * @param last             the latest event time, or {@code null}
     */
    public record Summary(Map<String, Long> byCharacteristic, Map<String, Long> byRule,
                          Map<Severity, Long> bySeverity, Map<String, Long> byType, Instant first, Instant last) {

        /** The characteristic label of events that have none. */
        public static final String NO_CHARACTERISTIC = "(no characteristic)";

        public static final Summary EMPTY = new Summary(Map.of(), Map.of(), Map.of(), Map.of(), null, null);

        public Summary {
            byCharacteristic = unmodifiable(byCharacteristic);
            byRule = unmodifiable(byRule);
            bySeverity = bySeverity.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(bySeverity));
            byType = unmodifiable(byType);
        }

        /** The severities, worst first, as people read them: {@code 35 CRITICAL, 2 WARNING}. */
        public String severities() {
            StringBuilder out = new StringBuilder();
            for (Severity s : new Severity[] {Severity.CRITICAL, Severity.WARNING, Severity.INFO}) {
                Long n = bySeverity.get(s);
                if (n != null) {
                    out.append(out.isEmpty() ? "" : ", ").append(n).append(' ').append(s.name());
                }
            }
            return out.toString();
        }

        private static Map<String, Long> unmodifiable(Map<String, Long> m) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(m));
        }
    }

    /**
     * An alarm an escalation is about (see docs/alarms.md).
     *
     * @param violationId      its key, {@code payload.violation_id} of the event that opened it
     * @param characteristicId its characteristic, or {@code null}
     * @param topics           the topics of the event that opened it
     * @param severity         its severity
     * @param ruleName         {@code payload.rule_name}, or {@code null}
     * @param openedAt         when the hub accepted the event that opened it
     * @param openedSeq        that event's {@code seq}
     */
    public record Alarm(String violationId, String characteristicId, List<String> topics, Severity severity,
                        String ruleName, Instant openedAt, long openedSeq) {
        public Alarm {
            Objects.requireNonNull(violationId, "violationId");
            topics = List.copyOf(topics);
            Objects.requireNonNull(severity, "severity");
            Objects.requireNonNull(openedAt, "openedAt");
        }
    }
}
