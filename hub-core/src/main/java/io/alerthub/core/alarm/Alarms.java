package io.alerthub.core.alarm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import io.alerthub.core.event.Acknowledgements;
import io.alerthub.core.event.EventDraft;
import io.alerthub.core.event.IngestGate;
import io.alerthub.core.event.ViolationAck;
import io.alerthub.core.log.EventLog;
import io.alerthub.core.state.StateFile;
import io.alerthub.spi.Event;
import io.alerthub.spi.Severity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The alarms: an {@link AlarmBook} that follows the event log on a thread of its own, announces every change as an
 * {@code alarm_update} event (through the hub's ingest, like {@code ack_update}), and takes the operators'
 * commands (acknowledge, clear) after catching up with the log, so that a violation accepted a moment ago can be
 * acknowledged at once.
 *
 * <p>The state is rebuilt at start from a snapshot ({@code hub.data-dir/alarms/alarms.json}, written every few
 * seconds and at a stop, so that retention cannot make the hub forget an open alarm) and the log after it. An
 * {@code alarm_update} carries the {@code seq} of the event that caused it ({@code cause_seq}); a change whose
 * announcement a crash lost is announced after the restart, and one that was announced is not announced again.
 */
public final class Alarms implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Alarms.class.getName());
    /** Cleared alarms remembered at most; the oldest cleared are forgotten first. */
    static final int KEEP_CLEARED = 10_000;
    private static final Duration SNAPSHOT_EVERY = Duration.ofSeconds(5);
    private static final Duration COMMAND_WAIT = Duration.ofSeconds(10);
    private static final int BATCH = 256;

    /** Puts events into the log through the hub's ingest (its gate, dedup and numbering). */
    @FunctionalInterface
    public interface Emitter {
        /**
         * @return the seqs of the drafts, in order
         * @throws IngestGate.RefusedException when the hub is busy or stopping
         */
        List<Long> emit(List<EventDraft> drafts);
    }

    /**
     * What an acknowledgement did.
     *
     * @param seq     the {@code ack_update}: the new one, or the first one when the alarm was acknowledged already
     * @param already whether it was acknowledged already (the first acknowledgement stays)
     * @param alarm   the alarm, as it was when the command was taken
     */
    public record AckResult(long seq, boolean already, Alarm alarm) {
    }

    /**
     * What a clear did.
     *
     * @param seq     the {@code violation_cleared} event, or 0 when the alarm was cleared already
     * @param already whether it was cleared already
     * @param alarm   the alarm, as it was when the command was taken
     */
    public record ClearResult(long seq, boolean already, Alarm alarm) {
    }

    /** A command about an alarm the hub does not know. */
    public static final class UnknownAlarmException extends RuntimeException {
        UnknownAlarmException(String violationId) {
            super("no alarm has violation_id " + violationId, null, false, false);
        }
    }

    /**
     * A {@code GET /api/v1/alarms} query.
     *
     * @param state            {@code active}, {@code cleared} or {@code all}
     * @param acknowledged     only acknowledged ({@code true}) or not ({@code false}); {@code null} for both
     * @param characteristicId only this characteristic, or {@code null}
     * @param topic            only alarms with a topic it matches, or {@code null}
     * @param severities       only these severities; empty for all
     * @param limit            at most this many, newest first
     */
    public record Query(String state, Boolean acknowledged, String characteristicId,
                        Predicate<List<String>> topic, Set<Severity> severities, int limit) {
    }

    private final EventLog log;
    private final Emitter emitter;
    private final StateFile snapshot;
    private final Clock clock;
    private final AlarmBook book;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition applied = lock.newCondition();
    private final ReentrantLock commands = new ReentrantLock();
    /** Changes not yet announced, in order (guarded by {@link #lock}). */
    private final List<AlarmBook.Change> pending = new ArrayList<>();
    private volatile boolean stopping;
    /** Whether this hub announces the changes (cluster mode: the one instance holding the alarms' lease). */
    private volatile BooleanSupplier announcing = () -> true;
    private Thread follower;
    private boolean changedSinceSnapshot;

    private Alarms(EventLog log, Emitter emitter, StateFile snapshot, Clock clock, AlarmBook book) {
        this.log = log;
        this.emitter = emitter;
        this.snapshot = snapshot;
        this.clock = clock;
        this.book = book;
    }

    /**
     * Restores the alarms from the snapshot in {@code dir} and the log after it, up to the log's head.
     *
     * @param alarmTypes event types that open an alarm ({@code violation})
     */
    public static Alarms open(EventLog log, Emitter emitter, Path dir, Set<String> alarmTypes, Clock clock) {
        AlarmBook book = new AlarmBook(alarmTypes, KEEP_CLEARED);
        Alarms alarms = new Alarms(log, emitter, new StateFile(dir.resolve("alarms.json")), clock, book);
        boolean restored = alarms.restore();
        alarms.catchUp();
        if (!restored) {
            // The first start with alarms (or a lost snapshot): the alarms are rebuilt from the log as far as it
            // reaches, but what happened before is not announced again, or every dashboard would get it at once.
            book.markAnnounced(book.appliedSeq());
            alarms.pending.clear();
            alarms.changedSinceSnapshot = true;
            // written now, so that a crash before the first periodic snapshot is not taken for a first start
            alarms.saveSnapshot();
        }
        LOG.log(System.Logger.Level.INFO, "alarms: " + book.size() + " known, "
                + book.all().stream().filter(Alarm::active).count() + " active, as of seq " + book.appliedSeq()
                + (alarms.pending.isEmpty() ? "" : "; " + alarms.pending.size() + " change(s) to announce"));
        return alarms;
    }

    /** Restores the snapshot; {@code false} when there is none (or it does not belong to this log). */
    private boolean restore() {
        Optional<JsonNode> doc;
        try {
            doc = snapshot.read();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the alarms' snapshot: " + e.getMessage(), e);
        }
        if (doc.isEmpty()) {
            return false;
        }
        JsonNode d = doc.get();
        long applied = d.path("applied_seq").asLong();
        if (applied > log.headSeq()) {
            LOG.log(System.Logger.Level.WARNING, "alarms: the snapshot " + snapshot.path() + " is of seq " + applied
                    + " but the event log ends at " + log.headSeq() + " (a new event log?); rebuilding from the log");
            return false;
        }
        List<Alarm> restored = new ArrayList<>();
        d.path("alarms").forEach(a -> restored.add(Alarm.fromSnapshot(a)));
        book.restore(applied, d.path("announced_through").asLong(), restored);
        for (JsonNode c : d.path("pending")) {
            pending.add(new AlarmBook.Change(Alarm.fromSnapshot(c.get("alarm")), c.path("change").asText(),
                                             c.path("cause_seq").asLong()));
        }
        return true;
    }

    /** Applies the log from where the book stands to the head, announcing nothing yet. */
    private void catchUp() {
        long head = log.headSeq();
        while (book.appliedSeq() < head) {
            List<Event> batch = log.read(book.appliedSeq(), BATCH);
            if (batch.isEmpty()) {
                break;
            }
            applyAll(batch);
        }
    }

    /**
     * Announces changes only while {@code announcing} says so. In cluster mode every instance follows the log and
     * keeps the alarms, and one at a time announces: the others drop a change from what they would announce when its
     * {@code alarm_update} arrives (its {@code cause_seq}), and announce what is left when they take over.
     */
    public void announceWhile(BooleanSupplier announcing) {
        this.announcing = announcing;
    }

    /** Starts following the log and announces what the restart found unannounced. */
    public void start() {
        follower = Thread.ofVirtual().name("alarms").start(this::follow);
    }

    private void follow() {
        long lastSnapshot = System.nanoTime();
        while (!stopping) {
            try {
                announcePending();
                List<Event> batch = log.read(book.appliedSeq(), BATCH);
                if (batch.isEmpty()) {
                    log.awaitAfter(book.appliedSeq(), Duration.ofSeconds(1));
                } else {
                    applyAll(batch);
                    announcePending();
                }
                if (System.nanoTime() - lastSnapshot > SNAPSHOT_EVERY.toNanos()) {
                    saveSnapshot();
                    lastSnapshot = System.nanoTime();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "alarms: following the event log failed; trying again", e);
                try {
                    TimeUnit.SECONDS.sleep(1);
                } catch (InterruptedException x) {
                    return;
                }
            }
        }
    }

    private void applyAll(List<Event> batch) {
        lock.lock();
        try {
            for (Event e : batch) {
                book.apply(e).ifPresent(pending::add);
                changedSinceSnapshot = true;
            }
            long announced = book.announcedThrough();
            pending.removeIf(c -> c.causeSeq() <= announced);
            applied.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Announces the pending changes as {@code alarm_update} events, in one batch; keeps them when the hub refuses. */
    private void announcePending() throws InterruptedException {
        List<AlarmBook.Change> toAnnounce;
        if (!announcing.getAsBoolean()) {
            return;
        }
        lock.lock();
        try {
            if (pending.isEmpty()) {
                return;
            }
            toAnnounce = List.copyOf(pending);
        } finally {
            lock.unlock();
        }
        Instant now = clock.instant();
        List<EventDraft> drafts = new ArrayList<>(toAnnounce.size());
        for (AlarmBook.Change c : toAnnounce) {
            drafts.add(AlarmEvents.update(c.alarm(), c.change(), c.causeSeq(), now));
        }
        try {
            emitter.emit(drafts);
        } catch (IngestGate.RefusedException e) {
            // busy or stopping: announced on the next round, or after the restart (the snapshot keeps them)
            TimeUnit.MILLISECONDS.sleep(200);
            return;
        }
        lock.lock();
        try {
            pending.subList(0, toAnnounce.size()).clear();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Acknowledges an alarm: an {@code ack_update} event, unless it was acknowledged already (then the first
     * acknowledgement stays and the result says so).
     *
     * @throws UnknownAlarmException        when no alarm has that id
     * @throws IllegalStateException        when the alarms cannot catch up with the log in time
     * @throws IngestGate.RefusedException  when the hub is busy or stopping
     * @throws io.alerthub.core.event.InvalidEventException when the acknowledgement breaks a rule
     */
    public AckResult acknowledge(ViolationAck ack) {
        EventDraft draft = Acknowledgements.draft(ack, clock.instant());
        commands.lock();
        try {
            Alarm alarm = current(ack.violationId());
            if (alarm.acknowledged()) {
                return new AckResult(alarm.ackSeq(), true, alarm);
            }
            long seq = emitter.emit(List.of(draft)).getFirst();
            awaitApplied(seq);
            return new AckResult(seq, false, alarm);
        } finally {
            commands.unlock();
        }
    }

    /**
     * Clears an alarm: a {@code violation_cleared} event, unless it was cleared already.
     *
     * @throws UnknownAlarmException       when no alarm has that id
     * @throws IllegalArgumentException    naming the field when {@code user} or {@code reason} breaks a rule
     * @throws IngestGate.RefusedException when the hub is busy or stopping
     */
    public ClearResult clear(String violationId, String user, String reason) {
        commands.lock();
        try {
            Alarm alarm = current(violationId);
            if (!alarm.active()) {
                return new ClearResult(0, true, alarm);
            }
            long seq = emitter.emit(List.of(AlarmEvents.cleared(alarm, user, reason, clock.instant()))).getFirst();
            awaitApplied(seq);
            return new ClearResult(seq, false, alarm);
        } finally {
            commands.unlock();
        }
    }

    /**
     * An escalation step that fired for an alarm.
     *
     * @param violationId the alarm
     * @param openedSeq   the event that opened it (a reopened alarm is another opening)
     * @param step        the step
     */
    public record Escalation(String violationId, long openedSeq, int step) {
    }

    /**
     * Records that escalation steps fired: one {@code alarm_update} ({@code change: escalated}) each, in one batch.
     * Nothing for an alarm that is gone or was reopened since.
     *
     * @throws IngestGate.RefusedException when the hub is busy or stopping
     */
    public void escalated(List<Escalation> steps) {
        Instant now = clock.instant();
        List<EventDraft> drafts = new ArrayList<>(steps.size());
        lock.lock();
        try {
            for (Escalation e : steps) {
                Optional<Alarm> a = book.get(e.violationId());
                if (a.isPresent() && a.get().openedSeq() == e.openedSeq()) {
                    Alarm alarm = book.escalated(e.violationId(), e.step()).orElseThrow();
                    drafts.add(AlarmEvents.update(alarm, "escalated", 0, now));
                    changedSinceSnapshot = true;
                }
            }
        } finally {
            lock.unlock();
        }
        if (!drafts.isEmpty()) {
            emitter.emit(drafts);
        }
    }

    /** The alarm as of the log's head now. */
    private Alarm current(String violationId) {
        awaitApplied(log.headSeq());
        lock.lock();
        try {
            return book.get(violationId).orElseThrow(() -> new UnknownAlarmException(violationId));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the alarms have applied the log up to {@code seq}.
     *
     * @throws IllegalStateException when they have not within {@link #COMMAND_WAIT}
     */
    public void awaitApplied(long seq) {
        long deadline = System.nanoTime() + COMMAND_WAIT.toNanos();
        lock.lock();
        try {
            while (book.appliedSeq() < seq) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("the alarms are catching up with the event log (at seq "
                            + book.appliedSeq() + " of " + seq + "); try again");
                }
                applied.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } finally {
            lock.unlock();
        }
    }

    /** One alarm, as of the log's head now. */
    public Optional<Alarm> get(String violationId) {
        awaitApplied(log.headSeq());
        lock.lock();
        try {
            return book.get(violationId);
        } finally {
            lock.unlock();
        }
    }

    /** The alarms a query asks for, newest first, as of the log's head now. */
    public List<Alarm> query(Query q) {
        awaitApplied(log.headSeq());
        List<Alarm> all;
        lock.lock();
        try {
            all = book.all();
        } finally {
            lock.unlock();
        }
        List<Alarm> out = new ArrayList<>();
        for (Alarm a : all) {
            if (("active".equals(q.state()) && !a.active()) || ("cleared".equals(q.state()) && a.active())) {
                continue;
            }
            if (q.acknowledged() != null && a.acknowledged() != q.acknowledged()) {
                continue;
            }
            if (q.characteristicId() != null && !q.characteristicId().equals(a.characteristicId())) {
                continue;
            }
            if (q.topic() != null && !q.topic().test(a.topics())) {
                continue;
            }
            if (!q.severities().isEmpty() && !q.severities().contains(a.severity())) {
                continue;
            }
            out.add(a);
            if (out.size() == q.limit()) {
                break;
            }
        }
        return out;
    }

    /** The alarms' position in the log. */
    public long appliedSeq() {
        lock.lock();
        try {
            return book.appliedSeq();
        } finally {
            lock.unlock();
        }
    }

    private void saveSnapshot() {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        lock.lock();
        try {
            if (!changedSinceSnapshot) {
                return;
            }
            doc.put("applied_seq", book.appliedSeq());
            doc.put("announced_through", book.announcedThrough());
            ArrayNode p = doc.putArray("pending");
            for (AlarmBook.Change c : pending) {
                p.addObject().put("cause_seq", c.causeSeq()).put("change", c.change()).set("alarm",
                                                                                           c.alarm().toSnapshot());
            }
            ArrayNode a = doc.putArray("alarms");
            book.snapshotOrder().forEach(x -> a.add(x.toSnapshot()));
            changedSinceSnapshot = false;
        } finally {
            lock.unlock();
        }
        try {
            snapshot.write(doc);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "alarms: cannot write the snapshot " + snapshot.path() + ": "
                    + e.getMessage() + " (the event log still has every change)");
            lock.lock();
            try {
                changedSinceSnapshot = true;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Stops following the log and writes the snapshot. */
    @Override
    public void close() {
        stopping = true;
        if (follower != null) {
            follower.interrupt();
            try {
                follower.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        saveSnapshot();
    }
}
