package io.alerthub.core.alarm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.alerthub.core.event.WireForm;
import io.alerthub.spi.Event;
import io.alerthub.spi.SubscriptionPattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The alarms as the event log says they are: a pure function of the events, applied in {@code seq} order, so that
 * the alarms rebuilt after a restart (from a snapshot and the log after it, or from the log alone) are the ones the
 * hub had before. Not thread-safe: {@link Alarms} owns it.
 *
 * <table>
 *   <caption>What changes an alarm</caption>
 *   <tr><th>event</th><th>effect</th></tr>
 *   <tr><td>an alarm type ({@code violation}) with {@code payload.violation_id}</td>
 *       <td>unknown or CLEARED: (re)opened ACTIVE, not acknowledged; ACTIVE: nothing (a repeat)</td></tr>
 *   <tr><td>{@code ack_update} naming it ({@code acknowledged} not false)</td>
 *       <td>acknowledged, unless it already was (the first acknowledgement stays)</td></tr>
 *   <tr><td>{@code violation_cleared} naming it</td><td>ACTIVE: CLEARED; otherwise nothing</td></tr>
 *   <tr><td>{@code alarm_update} with {@code change: escalated}</td>
 *       <td>its {@code escalation_step} (the highest seen)</td></tr>
 * </table>
 */
final class AlarmBook {

    static final String ALARM_UPDATE = "alarm_update";
    static final String ACK_UPDATE = "ack_update";
    static final String CLEARED = "violation_cleared";

    /**
     * One change, to be announced as an {@code alarm_update}.
     *
     * @param alarm    the alarm after the change
     * @param change   {@code opened}, {@code reopened}, {@code acknowledged}, {@code cleared}
     * @param causeSeq the event that made it
     */
    record Change(Alarm alarm, String change, long causeSeq) {
    }

    private final Set<String> alarmTypes;
    private final int keepCleared;
    private final Map<String, Alarm> alarms = new HashMap<>();
    /** Cleared alarms, the oldest cleared first: beyond {@code keepCleared} they are forgotten. */
    private final LinkedHashMap<String, Boolean> clearedOrder = new LinkedHashMap<>();
    private long appliedSeq;
    /** The highest {@code cause_seq} of an {@code alarm_update} in the log: changes up to it were announced. */
    private long announcedThrough;

    AlarmBook(Set<String> alarmTypes, int keepCleared) {
        this.alarmTypes = Set.copyOf(alarmTypes);
        this.keepCleared = keepCleared;
    }

    long appliedSeq() {
        return appliedSeq;
    }

    long announcedThrough() {
        return announcedThrough;
    }

    /** Takes every change up to {@code seq} as announced (the log before alarms existed: nobody is to hear of it). */
    void markAnnounced(long seq) {
        announcedThrough = Math.max(announcedThrough, seq);
    }

    Optional<Alarm> get(String violationId) {
        return Optional.ofNullable(alarms.get(violationId));
    }

    /** Every alarm, newest opened first. */
    List<Alarm> all() {
        List<Alarm> out = new ArrayList<>(alarms.values());
        out.sort(Comparator.comparingLong(Alarm::openedSeq).reversed());
        return out;
    }

    int size() {
        return alarms.size();
    }

    /** Applies one event (in {@code seq} order); the change it made, if any. */
    Optional<Change> apply(Event e) {
        appliedSeq = Math.max(appliedSeq, e.seq());
        String type = e.type();
        if (type.equals(ALARM_UPDATE)) {
            readBack(e.payload());
            return Optional.empty();
        }
        boolean opens = alarmTypes.contains(type);
        if (!opens && !type.equals(ACK_UPDATE) && !type.equals(CLEARED)) {
            return Optional.empty();
        }
        JsonNode p = e.payload();
        String id = violationId(p);
        if (id == null) {
            return Optional.empty();
        }
        Alarm alarm = alarms.get(id);
        if (opens) {
            if (alarm != null && alarm.active()) {
                return Optional.empty();
            }
            Alarm opened = open(e, id, p.get("violation_id").isNumber());
            put(opened);
            return Optional.of(new Change(opened, alarm == null ? "opened" : "reopened", e.seq()));
        }
        if (alarm == null) {
            return Optional.empty();
        }
        if (type.equals(ACK_UPDATE)) {
            if (alarm.acknowledged() || !p.path("acknowledged").asBoolean(true)) {
                return Optional.empty();
            }
            Alarm acked = alarm.acknowledge(text(p, "ack_user"), text(p, "ack_reason"), e.receivedAt(), e.seq());
            put(acked);
            return Optional.of(new Change(acked, "acknowledged", e.seq()));
        }
        if (!alarm.active()) {
            return Optional.empty();
        }
        Alarm cleared = alarm.clear(text(p, "user"), text(p, "reason"), e.receivedAt());
        put(cleared);
        return Optional.of(new Change(cleared, "cleared", e.seq()));
    }

    /** An {@code alarm_update} the hub wrote: what it announced, and the escalation steps it records. */
    private void readBack(JsonNode p) {
        announcedThrough = Math.max(announcedThrough, p.path("cause_seq").asLong(0));
        if ("escalated".equals(p.path("change").asText())) {
            String id = violationId(p);
            Alarm a = id == null ? null : alarms.get(id);
            if (a != null && p.path("opened_seq").asLong() == a.openedSeq()) {
                alarms.put(id, a.escalated(p.path("escalation_step").asInt()));
            }
        }
    }

    /** The alarm with its escalation step, as an escalation about to be announced makes it. */
    Optional<Alarm> escalated(String violationId, int step) {
        Alarm a = alarms.get(violationId);
        if (a == null) {
            return Optional.empty();
        }
        Alarm e = a.escalated(step);
        alarms.put(violationId, e);
        return Optional.of(e);
    }

    private Alarm open(Event e, String id, boolean numeric) {
        JsonNode p = e.payload();
        String rule = p.hasNonNull("rule_id") && p.get("rule_id").isValueNode() ? p.get("rule_id").asText() : null;
        return new Alarm(id, numeric, e.type(), e.characteristicId().orElse(null), e.characteristicNumeric(),
                         e.topics(), e.severity(), text(p, "rule_name"), rule, Alarm.State.ACTIVE, false, null,
                         null, null, 0, e.receivedAt(), e.seq(), null, null, null, 0, WireForm.silencedBy(e.json()));
    }

    private void put(Alarm a) {
        alarms.put(a.violationId(), a);
        clearedOrder.remove(a.violationId());
        if (!a.active()) {
            clearedOrder.put(a.violationId(), Boolean.TRUE);
            for (Iterator<String> oldest = clearedOrder.keySet().iterator();
                 clearedOrder.size() > keepCleared && oldest.hasNext(); ) {
                alarms.remove(oldest.next());
                oldest.remove();
            }
        }
    }

    /** {@code payload.violation_id} as text, when it is one an alarm can have (as an acknowledgement's path takes). */
    static String violationId(JsonNode payload) {
        JsonNode v = payload == null ? null : payload.get("violation_id");
        if (v == null) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return Long.toString(v.asLong());
        }
        if (v.isTextual() && SubscriptionPattern.CHARACTERISTIC_ID.matcher(v.asText()).matches()) {
            return v.asText();
        }
        return null;
    }

    private static String text(JsonNode p, String name) {
        JsonNode v = p.get(name);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The alarms in the order a snapshot keeps them: the active ones, then the cleared ones, oldest cleared first. */
    List<Alarm> snapshotOrder() {
        List<Alarm> out = new ArrayList<>(alarms.size());
        for (Alarm a : alarms.values()) {
            if (a.active()) {
                out.add(a);
            }
        }
        out.sort(Comparator.comparingLong(Alarm::openedSeq));
        for (String id : clearedOrder.keySet()) {
            out.add(alarms.get(id));
        }
        return out;
    }

    /** Restores the state of a snapshot (alarms in {@link #snapshotOrder()}): applied through {@code applied}. */
    void restore(long applied, long announced, List<Alarm> restored) {
        appliedSeq = applied;
        announcedThrough = announced;
        for (Alarm a : restored) {
            put(a);
        }
    }
}
