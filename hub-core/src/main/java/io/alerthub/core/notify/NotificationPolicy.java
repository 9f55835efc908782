package io.alerthub.core.notify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import io.alerthub.core.event.WireForm;
import io.alerthub.spi.Event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The notification policy's decisions, in Alertmanager's order: route → inhibit → silence → group → rate limit, and
 * the escalations of alarms nobody acknowledged. It does no I/O and reads no clock: events come in
 * {@code seq} order with the time, {@link #tick} is called with the time, and what it decides goes to a consumer
 * ({@link Created}, {@link Escalated}); {@link Notifications} persists and delivers it. So it is tested on a test
 * clock, and its state ({@link #toJson()}) is all that a restart needs. Not thread-safe.
 */
final class NotificationPolicy {

    /** What the policy decided. */
    sealed interface Effect permits Created, Escalated {
    }

    /** A notification to send. */
    record Created(Outgoing notification) implements Effect {
    }

    /** An escalation step fired for an alarm (its {@code escalation_step} changes). */
    record Escalated(String violationId, long openedSeq, int step) implements Effect {
    }

    /** What the policy did with events, for meters and {@code GET /api/v1/plugins}. */
    static final class Counts {
        long routed;
        long silenced;
        long inhibited;
        long unrouted;
        long notifications;
        long escalationSteps;
        long escalationsHeldBySilence;
    }

    private static final byte[] SILENCED_MARK = "\"silenced_by\":[".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final NotifySettings settings;
    private final Silences silences;
    private final Counts counts = new Counts();
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, SlidingWindow> windows = new LinkedHashMap<>();
    private final Map<String, Escalation> escalations = new LinkedHashMap<>();
    /** The ACTIVE alarms (opened, not cleared): violation id → the seq that opened it. */
    private final Map<String, Long> open = new LinkedHashMap<>();
    /** ACTIVE alarms an inhibition rule's source matches, by violation id. */
    private final Map<String, AlarmFacts> sources = new LinkedHashMap<>();

    NotificationPolicy(NotifySettings settings, Silences silences) {
        this.settings = settings;
        this.silences = silences;
    }

    Counts counts() {
        return counts;
    }

    int openGroups() {
        return groups.size();
    }

    long eventsInGroups() {
        long n = 0;
        for (Group g : groups.values()) {
            n += g.count();
        }
        return n;
    }

    int openAlarms() {
        return open.size();
    }

    int escalationsScheduled() {
        return escalations.size();
    }

    /** Takes one event, in {@code seq} order. */
    void onEvent(Event e, long now, Consumer<Effect> out) {
        if (settings.routes().isEmpty() && settings.escalations().isEmpty()) {
            return;  // a hub that notifies nobody: nothing to decide, nothing to remember
        }
        String type = e.type();
        boolean opens = settings.alarmTypes().contains(type);
        boolean ack = type.equals("ack_update");
        boolean clear = type.equals("violation_cleared");
        String violationId = opens || ack || clear ? violationId(e) : null;
        if (violationId != null) {
            if (ack && e.payload().path("acknowledged").asBoolean(true)) {
                escalations.remove(violationId);
            } else if (clear) {
                escalations.remove(violationId);
                sources.remove(violationId);
                open.remove(violationId);
            }
        }
        // an event of an alarm type for an ACTIVE alarm repeats it: it is routed, but opens nothing (the ACTIVE
        // alarms are remembered only when something needs them: escalations, inhibition)
        boolean tracked = !settings.escalations().isEmpty() || !settings.inhibit().isEmpty();
        AlarmFacts alarm = tracked && opens && violationId != null && !open.containsKey(violationId)
                ? AlarmFacts.of(e, violationId)
                : null;
        if (alarm != null) {
            open.put(violationId, e.seq());
        }
        if (alarm != null) {
            for (NotifySettings.InhibitRule rule : settings.inhibit()) {
                if (alarm.matches(rule.source())) {
                    sources.put(violationId, alarm);
                    break;
                }
            }
        }
        if (silenced(e)) {
            counts.silenced++;
            return;
        }
        if (inhibited(e, violationId)) {
            counts.inhibited++;
            return;
        }
        boolean routed = false;
        for (NotifySettings.Route route : settings.routes()) {
            if (route.match().matches(e)) {
                routed = true;
                for (String receiver : route.receivers()) {
                    group(route, receiver, e, now, out);
                }
                if (!route.continueMatching()) {
                    break;
                }
            }
        }
        if (routed) {
            counts.routed++;
        } else {
            counts.unrouted++;
        }
        if (alarm != null) {
            startEscalation(alarm, e);
        }
    }

    /** Whether ingest stamped the event as silenced (its wire form ends with {@code "silenced_by":[..]}). */
    private static boolean silenced(Event e) {
        byte[] json = e.json();
        return indexOf(json, SILENCED_MARK) >= 0 && !WireForm.silencedBy(json).isEmpty();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = haystack.length - needle.length; i >= 0; i--) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Whether an ACTIVE source alarm (another one) inhibits the event. */
    private boolean inhibited(Event e, String violationId) {
        if (sources.isEmpty()) {
            return false;
        }
        for (NotifySettings.InhibitRule rule : settings.inhibit()) {
            if (!rule.target().matches(e)) {
                continue;
            }
            for (AlarmFacts source : sources.values()) {
                if (source.violationId().equals(violationId) || !source.matches(rule.source())) {
                    continue;
                }
                if (sameTopics(rule.equal(), source.topics(), e.topics())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean sameTopics(List<String> names, List<String> a, List<String> b) {
        for (String name : names) {
            String va = AlarmFacts.topicValue(a, name);
            if (va == null || !va.equals(AlarmFacts.topicValue(b, name))) {
                return false;
            }
        }
        return true;
    }

    private void group(NotifySettings.Route route, String receiver, Event e, long now, Consumer<Effect> out) {
        String key = Group.key(route.index(), receiver);
        Group g = groups.get(key);
        if (g == null) {
            g = new Group(route.index(), receiver, now, now + route.groupWindow().toMillis());
            groups.put(key, g);
        }
        g.add(e, route.digestSize());
        if (route.groupWindow().isZero() && g.dueAt <= now) {
            close(g, now, out);
        }
    }

    /** Sends a group that is due, if its rate limit allows; otherwise it keeps collecting until a slot frees. */
    private void close(Group g, long now, Consumer<Effect> out) {
        NotifySettings.Route route = route(g.route);
        if (route == null) {
            groups.remove(g.key());
            return;
        }
        NotifySettings.RateLimit limit = route.rateLimit();
        SlidingWindow w = windows.computeIfAbsent(g.key(), k -> new SlidingWindow());
        long per = limit.per().toMillis();
        if (w.allows(now, limit.notifications(), per)) {
            w.record(now);
            groups.remove(g.key());
            counts.notifications++;
            out.accept(new Created(Outgoing.of(g, now)));
        } else {
            g.dueAt = w.nextFree(now, limit.notifications(), per);
        }
    }

    private NotifySettings.Route route(int index) {
        return index < settings.routes().size() ? settings.routes().get(index) : null;
    }

    private void startEscalation(AlarmFacts alarm, Event e) {
        for (NotifySettings.EscalationPolicy p : settings.escalations()) {
            if (p.match().matches(e)) {
                escalations.put(alarm.violationId(), new Escalation(alarm, p.index(), 0, 0,
                                                                    alarm.openedAt() + p.steps().getFirst().after()
                                                                            .toMillis()));
                return;
            }
        }
    }

    /** Sends the groups that are due and fires the escalation steps that are. */
    void tick(long now, Consumer<Effect> out) {
        for (Group g : List.copyOf(groups.values())) {
            if (g.dueAt <= now) {
                close(g, now, out);
            }
        }
        fireEscalations(now, out);
        windows.entrySet().removeIf(w -> !groups.containsKey(w.getKey()) && idleWindow(w.getKey(), w.getValue(), now));
    }

    private boolean idleWindow(String key, SlidingWindow w, long now) {
        NotifySettings.Route route = route(Integer.parseInt(key.substring(0, key.indexOf('|'))));
        return route == null || w.idle(now, route.rateLimit().per().toMillis());
    }

    /** One notification per receiver, step and repeat, listing every alarm whose step fell due now. */
    private record Firing(String receiver, int step, int repeat) {
    }

    private void fireEscalations(long now, Consumer<Effect> out) {
        Map<Firing, List<AlarmFacts>> firings = new LinkedHashMap<>();
        Instant at = Instant.ofEpochMilli(now);
        for (Iterator<Escalation> it = escalations.values().iterator(); it.hasNext(); ) {
            Escalation esc = it.next();
            if (esc.nextDue > now) {
                continue;
            }
            NotifySettings.EscalationPolicy policy = esc.policy < settings.escalations().size()
                    ? settings.escalations().get(esc.policy)
                    : null;
            if (policy == null) {
                it.remove();
                continue;
            }
            AlarmFacts a = esc.alarm;
            if (silences != null && silences.silencesAlarm(a.type(), a.topics(), a.characteristicId(), a.severity(),
                                                           a.ruleId(), at)) {
                // held back while a maintenance window or silence is on; fires once when it ends
                counts.escalationsHeldBySilence++;
                continue;
            }
            List<NotifySettings.Step> steps = policy.steps();
            int due = 0;
            while (due < steps.size() && a.openedAt() + steps.get(due).after().toMillis() <= now) {
                due++;
            }
            Set<String> receivers = new LinkedHashSet<>();
            int repeat;
            if (due > esc.fired) {
                // every step that fell due since the last firing (a restart after a long stop): once, together
                for (int s = esc.fired; s < due; s++) {
                    receivers.addAll(steps.get(s).receivers());
                }
                esc.fired = due;
                esc.repeats = 0;
                repeat = 0;
                counts.escalationSteps++;
                out.accept(new Escalated(a.violationId(), a.openedSeq(), due));
            } else {
                receivers.addAll(steps.getLast().receivers());
                esc.repeats++;
                repeat = esc.repeats;
            }
            for (String r : receivers) {
                firings.computeIfAbsent(new Firing(r, esc.fired, repeat), k -> new ArrayList<>()).add(a);
            }
            if (esc.fired < steps.size()) {
                esc.nextDue = a.openedAt() + steps.get(esc.fired).after().toMillis();
            } else if (policy.repeat() != null && esc.repeats < policy.repeatLimit()) {
                // a repeat counts from now: a stop that missed several intervals makes one, not one per interval
                esc.nextDue = now + policy.repeat().toMillis();
            } else {
                it.remove();
            }
        }
        firings.forEach((f, alarms) -> {
            counts.notifications++;
            out.accept(new Created(Outgoing.escalation(f.receiver(), alarms, List.of(), new DigestCounts(), f.step(),
                                                       f.repeat(), now)));
        });
    }

    /** When something is next due (a group, an escalation), epoch millis; {@link Long#MAX_VALUE} for nothing. */
    long nextDue() {
        long next = Long.MAX_VALUE;
        for (Group g : groups.values()) {
            next = Math.min(next, g.dueAt);
        }
        for (Escalation e : escalations.values()) {
            next = Math.min(next, e.nextDue);
        }
        return next;
    }

    /** {@code payload.violation_id} as text, or {@code null}. */
    static String violationId(Event e) {
        JsonNode v = e.payload().get("violation_id");
        if (v == null) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return Long.toString(v.asLong());
        }
        return v.isTextual() && !v.asText().isEmpty() ? v.asText() : null;
    }

    /** The policy's state, for the state file. */
    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode g = o.putArray("groups");
        groups.values().forEach(x -> x.toJson(g.addObject()));
        ObjectNode a = o.putObject("open_alarms");
        open.forEach(a::put);
        ObjectNode w = o.putObject("rate_windows");
        windows.forEach((k, v) -> w.set(k, v.toJson()));
        ArrayNode e = o.putArray("escalations");
        escalations.values().forEach(x -> x.toJson(e.addObject()));
        ArrayNode s = o.putArray("inhibit_sources");
        sources.values().forEach(x -> x.toJson(s.addObject()));
        return o;
    }

    /** Restores what {@link #toJson()} wrote. */
    void restore(JsonNode o) {
        o.path("groups").forEach(x -> {
            Group g = Group.fromJson(x);
            groups.put(g.key(), g);
        });
        o.path("rate_windows").properties().forEach(x -> windows.put(x.getKey(), SlidingWindow.fromJson(x.getValue())));
        o.path("open_alarms").properties().forEach(x -> open.put(x.getKey(), x.getValue().asLong()));
        o.path("escalations").forEach(x -> {
            Escalation e = Escalation.fromJson(x);
            escalations.put(e.alarm.violationId(), e);
        });
        o.path("inhibit_sources").forEach(x -> {
            AlarmFacts a = AlarmFacts.fromJson(x);
            sources.put(a.violationId(), a);
        });
    }
}
