package io.alerthub.email;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.alerthub.email.EmailSettings.ReminderSettings;
import io.alerthub.spi.Severity;

/**
 * The events waiting to go out in one mail to one recipient list: a single event, or a digest. It holds
 * every event's {@code seq} (what the hub's cursor must not pass until the server has taken the mail) but only
 * the first {@code digestMaxItems} events in full; the others are counted, per characteristic, rule and
 * severity, so that an alert storm costs memory for its counts, not for its events.
 *
 * <p>Guarded by the {@link Outbox}'s lock while pending; not changed while in flight.
 */
final class MailBatch {

    /** How events without a characteristic are counted. */
    static final String NO_CHARACTERISTIC = "(no characteristic)";

    private final Recipients to;
    private final List<EventSummary> shown = new ArrayList<>();
    private final List<EventSummary> remindable = new ArrayList<>();
    private final SeqSet seqs = new SeqSet();
    private final Map<String, Integer> byCharacteristic = new HashMap<>();
    private final Map<String, Integer> byRule = new HashMap<>();
    private final Map<String, Integer> byType = new LinkedHashMap<>();
    private final EnumMap<Severity, Integer> bySeverity = new EnumMap<>(Severity.class);
    private long count;
    private Instant first;
    private Instant last;

    /** When the batch may go (end of its group window, or of its retry backoff), epoch millis. */
    long dueAt;
    /** Failed attempts for a recipient that answered "try later". */
    int attempts;
    /** When a recipient first answered "try later" (epoch millis), or 0. */
    long deferredSince;

    MailBatch(Recipients to, long dueAt) {
        this.to = to;
        this.dueAt = dueAt;
    }

    Recipients to() {
        return to;
    }

    void add(EventSummary e, int maxShown) {
        seqs.add(e.seq());
        count++;
        if (shown.size() < maxShown) {
            shown.add(e);
        }
        if (e.remindable() && remindable.size() < ReminderSettings.MAX_TRACKED) {
            remindable.add(e.withoutDetails());
        }
        String characteristic = e.characteristicLabel();
        byCharacteristic.merge(characteristic.isEmpty() ? NO_CHARACTERISTIC : characteristic, 1, Integer::sum);
        if (e.ruleName() != null) {
            byRule.merge(e.ruleName(), 1, Integer::sum);
        }
        byType.merge(e.type(), 1, Integer::sum);
        bySeverity.merge(e.severity(), 1, Integer::sum);
        first = first == null || e.timestamp().isBefore(first) ? e.timestamp() : first;
        last = last == null || e.timestamp().isAfter(last) ? e.timestamp() : last;
    }

    /** Takes in another batch's events (a failed mail folding into the next one). */
    void absorb(MailBatch other, int maxShown) {
        seqs.addAll(other.seqs);
        count += other.count;
        List<EventSummary> merged = new ArrayList<>(shown);
        merged.addAll(other.shown);
        merged.sort(Comparator.comparingLong(EventSummary::seq));
        shown.clear();
        shown.addAll(merged.subList(0, Math.min(maxShown, merged.size())));
        for (EventSummary r : other.remindable) {
            if (remindable.size() < ReminderSettings.MAX_TRACKED) {
                remindable.add(r);
            }
        }
        other.byCharacteristic.forEach((k, v) -> byCharacteristic.merge(k, v, Integer::sum));
        other.byRule.forEach((k, v) -> byRule.merge(k, v, Integer::sum));
        other.byType.forEach((k, v) -> byType.merge(k, v, Integer::sum));
        other.bySeverity.forEach((k, v) -> bySeverity.merge(k, v, Integer::sum));
        if (other.first != null) {
            first = first == null || other.first.isBefore(first) ? other.first : first;
            last = last == null || other.last.isAfter(last) ? other.last : last;
        }
        dueAt = Math.max(dueAt, other.dueAt);
        if (other.deferredSince != 0 && (deferredSince == 0 || other.deferredSince < deferredSince)) {
            deferredSince = other.deferredSince;
            attempts = Math.max(attempts, other.attempts);
        }
    }

    /** The same events for fewer recipients (those that answered "try later"). */
    MailBatch retarget(Recipients recipients, int maxShown) {
        MailBatch b = new MailBatch(recipients, dueAt);
        b.absorb(this, maxShown);
        b.attempts = attempts;
        b.deferredSince = deferredSince;
        return b;
    }

    long count() {
        return count;
    }

    SeqSet seqs() {
        return seqs;
    }

    /** The events listed one by one, oldest first. */
    List<EventSummary> shown() {
        return List.copyOf(shown);
    }

    /** CRITICAL violations that can be acknowledged, at most {@link ReminderSettings#MAX_TRACKED}. */
    List<EventSummary> remindable() {
        return List.copyOf(remindable);
    }

    /** How many events per characteristic, most first. */
    List<Map.Entry<String, Integer>> byCharacteristic() {
        return sorted(byCharacteristic);
    }

    /** How many events per rule, most first. */
    List<Map.Entry<String, Integer>> byRule() {
        return sorted(byRule);
    }

    Map<String, Integer> byType() {
        return Map.copyOf(byType);
    }

    Map<Severity, Integer> bySeverity() {
        return new EnumMap<>(bySeverity);
    }

    Instant first() {
        return first;
    }

    Instant last() {
        return last;
    }

    private static List<Map.Entry<String, Integer>> sorted(Map<String, Integer> counts) {
        List<Map.Entry<String, Integer>> list = new ArrayList<>(counts.entrySet());
        list.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        return list;
    }
}
