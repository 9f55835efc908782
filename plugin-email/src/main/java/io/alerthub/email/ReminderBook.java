package io.alerthub.email;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.alerthub.email.EmailSettings.ReminderSettings;

/**
 * The reminders waiting for their time, one per violation. A reminder is created when the server took a mail
 * carrying a CRITICAL violation, and ends when an {@code ack_update} names the violation or after
 * {@code reminder.max} reminders. Not thread-safe (the outbox's lock).
 */
final class ReminderBook {

    private static final System.Logger LOG = System.getLogger(ReminderBook.class.getName());
    /** Acknowledgements remembered for violations that are still on their way (in a digest window). */
    private static final int ACKS_REMEMBERED = 10_000;

    private final ReminderSettings settings;
    private final Map<String, Reminder> byViolation = new LinkedHashMap<>();
    private final Set<String> taken = new HashSet<>();
    private final Map<String, Boolean> acknowledged = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > ACKS_REMEMBERED;
        }
    };
    private long dropped;

    /**
     * What changed.
     *
     * @param upserted reminders created or changed
     * @param ended    violations whose reminders are over
     */
    record Changes(List<Reminder> upserted, List<String> ended) {
        static final Changes NONE = new Changes(List.of(), List.of());

        boolean isEmpty() {
            return upserted.isEmpty() && ended.isEmpty();
        }
    }

    ReminderBook(ReminderSettings settings) {
        this.settings = settings;
    }

    /** Puts back the reminders the outbox kept across a restart. */
    void restore(Collection<Reminder> saved) {
        for (Reminder r : saved) {
            byViolation.put(r.violationId(), r);
        }
    }

    /** Reminders for the violations of a mail that {@code accepted} received at {@code now}. */
    List<Reminder> schedule(List<EventSummary> violations, List<String> accepted, long now) {
        if (!settings.enabled() || violations.isEmpty() || accepted.isEmpty()) {
            return List.of();
        }
        List<Reminder> upserted = new ArrayList<>();
        for (EventSummary v : violations) {
            String id = v.violationId();
            if (acknowledged.containsKey(id)) {
                continue;
            }
            Reminder existing = byViolation.get(id);
            if (existing != null) {
                Set<String> all = new HashSet<>(lower(existing.to().addresses()));
                if (all.containsAll(lower(accepted))) {
                    continue;
                }
                List<String> union = new ArrayList<>(existing.to().addresses());
                union.addAll(accepted);
                Reminder widened = new Reminder(id, Recipients.of(union), existing.dueAt(), existing.sent(),
                                                existing.mailedAt(), existing.item());
                byViolation.put(id, widened);
                upserted.add(widened);
            } else if (byViolation.size() >= ReminderSettings.MAX_TRACKED) {
                if (dropped++ == 0) {
                    LOG.log(System.Logger.Level.WARNING, "email: " + ReminderSettings.MAX_TRACKED + " violations"
                            + " already wait for a reminder; newer ones get none (counted in reminders_dropped)");
                }
            } else {
                Reminder r = new Reminder(id, Recipients.of(accepted), now + settings.after().toMillis(), 0,
                                          Instant.ofEpochMilli(now), v);
                byViolation.put(id, r);
                upserted.add(r);
            }
        }
        return upserted;
    }

    /**
     * An operator acknowledged the violation: no reminder for it from now on.
     *
     * @return whether a scheduled reminder was cancelled
     */
    boolean acknowledge(String violationId) {
        acknowledged.put(violationId, Boolean.TRUE);
        taken.remove(violationId);
        return byViolation.remove(violationId) != null;
    }

    /** Due reminders not yet handed to the sender, by recipient list. */
    Map<Recipients, List<Reminder>> due(long now) {
        Map<Recipients, List<Reminder>> out = new LinkedHashMap<>();
        for (Reminder r : byViolation.values()) {
            if (r.dueAt() <= now && !taken.contains(r.violationId())) {
                out.computeIfAbsent(r.to(), k -> new ArrayList<>()).add(r);
            }
        }
        return out;
    }

    /** When the next reminder that is not yet due falls due (epoch millis), or {@link Long#MAX_VALUE}. */
    long nextDueAfter(long now) {
        long next = Long.MAX_VALUE;
        for (Reminder r : byViolation.values()) {
            if (r.dueAt() > now && !taken.contains(r.violationId())) {
                next = Math.min(next, r.dueAt());
            }
        }
        return next;
    }

    void take(List<Reminder> reminders) {
        reminders.forEach(r -> taken.add(r.violationId()));
    }

    /** Whether any of these reminders is still in the sender's hands (handed out, not yet settled). */
    boolean taken(List<Reminder> reminders) {
        for (Reminder r : reminders) {
            if (taken.contains(r.violationId())) {
                return true;
            }
        }
        return false;
    }

    /** The reminders could not go: they are due again at {@code retryAt}. */
    void postpone(List<Reminder> reminders, long retryAt) {
        for (Reminder r : reminders) {
            taken.remove(r.violationId());
            Reminder current = byViolation.get(r.violationId());
            if (current != null && current.dueAt() < retryAt) {
                byViolation.put(r.violationId(), new Reminder(current.violationId(), current.to(), retryAt,
                                                              current.sent(), current.mailedAt(), current.item()));
            }
        }
    }

    /** The reminders went out at {@code now}: schedule the next one, or end them after the last. */
    Changes sent(List<Reminder> reminders, long now) {
        List<Reminder> upserted = new ArrayList<>();
        List<String> ended = new ArrayList<>();
        for (Reminder r : reminders) {
            taken.remove(r.violationId());
            Reminder current = byViolation.get(r.violationId());
            if (current == null) {
                continue;
            }
            int sent = current.sent() + 1;
            if (sent >= settings.max()) {
                byViolation.remove(r.violationId());
                ended.add(r.violationId());
            } else {
                Reminder next = new Reminder(current.violationId(), current.to(), now + settings.repeat().toMillis(),
                                             sent, current.mailedAt(), current.item());
                byViolation.put(r.violationId(), next);
                upserted.add(next);
            }
        }
        return new Changes(upserted, ended);
    }

    Collection<Reminder> all() {
        return List.copyOf(byViolation.values());
    }

    int size() {
        return byViolation.size();
    }

    /** Violations that got no reminder because {@link ReminderSettings#MAX_TRACKED} were already waiting. */
    long dropped() {
        return dropped;
    }

    private static List<String> lower(List<String> addresses) {
        return addresses.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
    }
}
