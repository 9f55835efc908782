package io.alerthub.core.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import io.alerthub.core.event.EventDraft;
import io.alerthub.core.event.Ingest;
import io.alerthub.core.state.StateFile;
import io.alerthub.spi.Event;
import io.alerthub.spi.Severity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The silences and maintenance windows ({@code /api/v1/silences}), kept in {@code hub.data-dir/silences.json}.
 *
 * <p>They are judged at ingest ({@link #apply}, the ingest's {@link Ingest.Stamp}): an event an active silence
 * matches gets {@code "silenced":true,"silenced_by":[ids]} in its wire form, so history, resumes and every channel
 * see the same thing, and a silence created later does not rewrite the past. The notification policy then sends
 * nothing about a silenced event, and holds back escalation steps of alarms an active silence matches. Ingest is the
 * hot path: with no silence (the usual case) {@link #apply} is one volatile read (measured in docs/alarms.md).
 *
 * <p>In cluster mode the instances share them ({@link #share}): a change is made on the shared document (compare and
 * set, so two instances changing it at once both count), and each instance takes every change another made.
 */
public final class Silences implements Ingest.Stamp {

    /** Where the instances of a cluster share the silences (cluster mode: a document in the engine). */
    public interface Shared {
        /**
         * Applies {@code change} to the shared document, or to {@code null} when there is none yet, and writes the
         * result only if nobody wrote meanwhile (else reads and applies it again); returns what was written.
         *
         * @throws IllegalStateException when the engine cannot be reached
         */
        JsonNode update(UnaryOperator<JsonNode> change);

        /** Calls {@code changed} with the shared document each time another instance changes it. */
        void watch(Consumer<JsonNode> changed);
    }

    private static final System.Logger LOG = System.getLogger(Silences.class.getName());
    /** How long an expired silence stays in the list (for the record) before it is forgotten. */
    static final Duration KEEP_EXPIRED = Duration.ofDays(7);
    /** The most silences at once; a hub with more has a process problem, not a silence problem. */
    static final int MAX_SILENCES = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StateFile file;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    /** Every silence not yet forgotten, oldest first. Replaced whole under the lock; read without it. */
    private volatile List<Silence> all;
    /** The ones that may still be active (not expired, not over): what ingest looks at. */
    private volatile List<Silence> live;
    /** {@code null} unless shared with the other instances of a cluster. */
    private volatile Shared shared;

    private Silences(StateFile file, Clock clock, List<Silence> loaded) {
        this.file = file;
        this.clock = clock;
        publish(loaded);
    }

    /**
     * Reads the silences file (or starts with none).
     *
     * @throws UncheckedIOException when the file cannot be read
     */
    public static Silences open(Path path, Clock clock) {
        StateFile file = new StateFile(path);
        List<Silence> loaded = new ArrayList<>();
        try {
            Optional<JsonNode> doc = file.read();
            if (doc.isPresent()) {
                loaded = parse(doc.get(), path.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the silences (" + path + "): " + e.getMessage(), e);
        }
        return new Silences(file, clock, loaded);
    }

    private static List<Silence> parse(JsonNode doc, String where) {
        List<Silence> out = new ArrayList<>();
        for (JsonNode s : doc.path("silences")) {
            try {
                out.add(Silence.stored(s));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "silences: skipping an unreadable silence in " + where + ": "
                        + e.getMessage());
            }
        }
        return out;
    }

    /**
     * Shares the silences with the other instances of a cluster from now on: this instance takes the shared ones
     * (or, the first to share, puts its own there), and every later change goes through {@code shared}.
     */
    public void share(Shared shared) {
        JsonNode doc = shared.update(current -> current != null ? current : toDoc(all, clock.instant()));
        this.shared = shared;
        replace(doc);
        shared.watch(this::replace);
    }

    /** Takes the silences of a shared document (another instance changed them). */
    private void replace(JsonNode doc) {
        lock.lock();
        try {
            List<Silence> silences = parse(doc, "the cluster's silences");
            publish(silences);
            file.write(doc);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "silences: cannot keep the cluster's silences in " + file.path()
                    + ": " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /** Events marked with the active silences that match them; the same list when none does (or there is none). */
    @Override
    public List<EventDraft> apply(List<EventDraft> drafts) {
        List<Silence> candidates = live;
        if (candidates.isEmpty()) {
            return drafts;
        }
        Instant now = clock.instant();
        forgetEnded(candidates, now);
        List<EventDraft> out = null;
        for (int i = 0; i < drafts.size(); i++) {
            EventDraft d = drafts.get(i);
            Event.Fields f = d.fields();
            List<String> ids = matching(candidates, f.type(), f.topics(), f.characteristicId(), f.severity(),
                                        new PayloadRuleId(d), now);
            if (!ids.isEmpty()) {
                if (out == null) {
                    out = new ArrayList<>(drafts);
                }
                out.set(i, d.silencedBy(ids));
            }
        }
        return out == null ? drafts : out;
    }

    /** Takes silences that ended out of what ingest looks at, so that it is one volatile read again when none is left. */
    private void forgetEnded(List<Silence> candidates, Instant now) {
        for (Silence s : candidates) {
            if (s.over(now)) {
                if (lock.tryLock()) {
                    try {
                        publish(all);
                    } finally {
                        lock.unlock();
                    }
                }
                return;
            }
        }
    }

    /** Reads {@code payload.rule_id} of a draft once, only when a silence asks for it. */
    private static final class PayloadRuleId implements java.util.function.Supplier<String> {
        private final EventDraft draft;
        private boolean read;
        private String value;

        PayloadRuleId(EventDraft draft) {
            this.draft = draft;
        }

        @Override
        public String get() {
            if (!read) {
                read = true;
                try {
                    value = EventMatcher.ruleId(JSON.readTree(draft.payloadJson()));
                } catch (IOException e) {
                    value = null;
                }
            }
            return value;
        }
    }

    private static List<String> matching(List<Silence> candidates, String type, List<String> topics,
                                         String characteristicId, Severity severity,
                                         java.util.function.Supplier<String> ruleId, Instant now) {
        List<String> ids = List.of();
        for (Silence s : candidates) {
            if (s.activeAt(now) && s.matchers().matches(type, topics, characteristicId, severity, ruleId)) {
                if (ids.isEmpty()) {
                    ids = new ArrayList<>(2);
                }
                ids.add(s.id());
            }
        }
        return ids;
    }

    /** Whether an active silence matches an alarm (by the event that opened it) at {@code now}. */
    boolean silencesAlarm(String type, List<String> topics, String characteristicId, Severity severity,
                          String ruleId, Instant now) {
        for (Silence s : live) {
            if (s.silences(type, topics, characteristicId, severity, ruleId, now)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Creates a silence from a {@code POST} body and keeps it.
     *
     * @throws InvalidInputException naming the field that is wrong
     * @throws IllegalStateException when there are already {@link #MAX_SILENCES}
     */
    public Silence create(JsonNode body) {
        Instant now = clock.instant();
        Silence s = Silence.create("s-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16), body, now);
        Shared cluster = shared;
        if (cluster != null) {
            replace(cluster.update(doc -> {
                List<Silence> next = current(doc == null ? List.of() : parse(doc, "the cluster's silences"), now);
                if (next.size() >= MAX_SILENCES) {
                    throw new IllegalStateException("there are " + MAX_SILENCES + " silences already; expire some");
                }
                next.add(s);
                return toDoc(next, now);
            }));
        } else {
            lock.lock();
            try {
                List<Silence> next = current(all, now);
                if (next.size() >= MAX_SILENCES) {
                    throw new IllegalStateException("there are " + MAX_SILENCES + " silences already; expire some");
                }
                next.add(s);
                save(next);
                publish(next);
            } finally {
                lock.unlock();
            }
        }
        LOG.log(System.Logger.Level.INFO, "silence " + s.id() + " by " + s.createdBy() + ": " + s.matchers()
                + (s.schedule() == null ? "" : ", " + s.schedule().toJson()) + " until "
                + (s.endsAt() == null ? "expired" : s.endsAt()));
        return s;
    }

    /**
     * Expires a silence now.
     *
     * @return the expired silence; empty when there is none with that id
     */
    public Optional<Silence> expire(String id) {
        Instant now = clock.instant();
        Shared cluster = shared;
        if (cluster != null) {
            Silence[] expired = new Silence[1];
            JsonNode doc = cluster.update(d -> {
                List<Silence> next = current(d == null ? List.of() : parse(d, "the cluster's silences"), now);
                expired[0] = null;
                for (int i = 0; i < next.size(); i++) {
                    Silence s = next.get(i);
                    if (s.id().equals(id)) {
                        expired[0] = s.over(now) ? s : s.expire(now);
                        next.set(i, expired[0]);
                    }
                }
                return toDoc(next, now);
            });
            replace(doc);
            if (expired[0] != null) {
                LOG.log(System.Logger.Level.INFO, "silence " + id + " expired");
            }
            return Optional.ofNullable(expired[0]);
        }
        lock.lock();
        try {
            List<Silence> next = current(all, now);
            for (int i = 0; i < next.size(); i++) {
                Silence s = next.get(i);
                if (s.id().equals(id)) {
                    Silence expired = s.over(now) ? s : s.expire(now);
                    next.set(i, expired);
                    save(next);
                    publish(next);
                    LOG.log(System.Logger.Level.INFO, "silence " + id + " expired");
                    return Optional.of(expired);
                }
            }
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** Every silence, newest first (expired ones for {@link #KEEP_EXPIRED}). */
    public List<Silence> list() {
        List<Silence> out = new ArrayList<>(all);
        out.sort(Comparator.comparing(Silence::createdAt).reversed());
        return out;
    }

    public Instant now() {
        return clock.instant();
    }

    /** The silences, without those expired longer than {@link #KEEP_EXPIRED} ago. */
    private static List<Silence> current(List<Silence> silences, Instant now) {
        List<Silence> next = new ArrayList<>();
        for (Silence s : silences) {
            Instant over = s.expiredAt() != null ? s.expiredAt() : s.endsAt();
            if (over == null || over.plus(KEEP_EXPIRED).isAfter(now)) {
                next.add(s);
            }
        }
        return next;
    }

    private void publish(List<Silence> silences) {
        Instant now = clock.instant();
        all = List.copyOf(silences);
        live = silences.stream().filter(s -> !s.over(now)).toList();
    }

    private static ObjectNode toDoc(List<Silence> silences, Instant now) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        ArrayNode list = doc.putArray("silences");
        silences.forEach(s -> list.add(s.toJson(now)));
        return doc;
    }

    private void save(List<Silence> silences) {
        ObjectNode doc = toDoc(silences, clock.instant());
        try {
            file.write(doc);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the silences (" + file.path() + "): " + e.getMessage(), e);
        }
    }
}
