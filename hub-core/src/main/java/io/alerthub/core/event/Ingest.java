package io.alerthub.core.event;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import io.alerthub.core.log.EventLog;
import io.alerthub.core.log.LogException;
import io.alerthub.core.log.SharedEventLog;
import io.alerthub.spi.Event;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;

/**
 * Accepts validated events: drops producer duplicates inside the dedup window, numbers and logs the rest.
 * Deduplication and the log write share one lock, so two requests carrying the same id cannot both get
 * through; the fsync happens outside it, shared by concurrent requests. A {@link SharedEventLog} (cluster mode)
 * deduplicates by itself, cluster-wide.
 */
public final class Ingest {

    /**
     * What happened to a request.
     *
     * @param accepted   events newly logged
     * @param duplicates events recognised by their id
     * @param seqs       per event of the request, in order: its seq (a duplicate's is the original's)
     */
    public record Result(int accepted, int duplicates, List<Long> seqs) {
    }

    /**
     * Marks drafts before they are numbered (silences stamp the events they match). Called for every request,
     * outside the ingest lock; must be cheap when there is nothing to mark.
     */
    @FunctionalInterface
    public interface Stamp {
        /** The drafts, marked where needed (the same list when nothing is). */
        List<EventDraft> apply(List<EventDraft> drafts);

        Stamp NONE = drafts -> drafts;
    }

    private final EventLog log;
    private final Stamp stamp;
    private final Deduplicator dedup;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Counter accepted;
    private final Counter deduplicated;
    private final Duration dedupWindow;
    private final int maxDedupIds;
    private long lastShortWarning;
    private static final System.Logger LOG = System.getLogger(Ingest.class.getName());
    private static final long WARN_EVERY_MILLIS = Duration.ofMinutes(10).toMillis();

    public Ingest(EventLog log, Duration dedupWindow, int maxDedupIds, Clock clock, MeterRegistry metrics) {
        this(log, dedupWindow, maxDedupIds, clock, metrics, Stamp.NONE);
    }

    public Ingest(EventLog log, Duration dedupWindow, int maxDedupIds, Clock clock, MeterRegistry metrics,
                  Stamp stamp) {
        this.log = log;
        this.stamp = stamp;
        this.clock = clock;
        this.dedup = new Deduplicator(dedupWindow, maxDedupIds);
        this.dedupWindow = dedupWindow;
        this.maxDedupIds = maxDedupIds;
        if (log instanceof SharedEventLog) {
            LOG.log(System.Logger.Level.INFO, "dedup: the cluster's stream remembers ids for " + dedupWindow
                    + ", whichever instance took them");
        } else {
            LOG.log(System.Logger.Level.INFO, "dedup: ids are remembered for " + dedupWindow + ", at most "
                    + maxDedupIds + " of them: the whole window holds while producers send at most "
                    + Math.max(1, maxDedupIds / Math.max(1, dedupWindow.toSeconds()))
                    + " events with an id per second (hub.dedup-max-ids; about 150 bytes of heap each)");
        }
        this.accepted = metrics.getOrCreate(Counter.builder("alerthub.events.accepted")
                                                    .description("Events accepted into the event log"));
        this.deduplicated = metrics.getOrCreate(Counter.builder("alerthub.events.deduplicated")
                                                        .description("Events acknowledged but not dispatched again:"
                                                                             + " same id inside the dedup window"));
        if (!(log instanceof SharedEventLog)) {
            log.forEachSince(clock.instant().minus(dedupWindow),
                             e -> e.id().ifPresent(id -> dedup.remember(id, e.seq(), e.receivedAt())));
        }
    }

    /** Under the lock: one warning per ten minutes while the id cap shortens the window. */
    private void warnShortWindow(Instant now) {
        if (lastShortWarning != 0 && now.toEpochMilli() - lastShortWarning < WARN_EVERY_MILLIS) {
            return;
        }
        lastShortWarning = now.toEpochMilli();
        Duration kept = dedup.shortenedWindow(now).orElse(dedupWindow);
        LOG.log(System.Logger.Level.WARNING, "dedup: at this rate the cap of " + maxDedupIds + " ids keeps them for "
                + kept + ", not the configured " + dedupWindow + ": a producer's retry after that is dispatched again;"
                + " raise hub.dedup-max-ids");
    }

    /**
     * The dedup window in force when the id cap shortened it within the last window (for health), else empty.
     */
    public java.util.Optional<Duration> shortenedDedupWindow() {
        lock.lock();
        try {
            return dedup.shortenedWindow(clock.instant());
        } finally {
            lock.unlock();
        }
    }

    /** Why the last write to the log failed, while no write has succeeded since; {@code null} when writing works. */
    private volatile LogException failing;

    /**
     * The event log's last failure while it lasts (a full disk, an I/O error): ingest is refused meanwhile, and the
     * first write that succeeds again clears it.
     */
    public java.util.Optional<LogException> logFailure() {
        return java.util.Optional.ofNullable(failing);
    }

    /** Logs the events that are not duplicates; returns once they are durable and dispatched to lanes. */
    public Result accept(List<EventDraft> received) {
        List<EventDraft> drafts = stamp.apply(received);
        try {
            Result r = log instanceof SharedEventLog shared ? acceptShared(shared, drafts) : write(drafts);
            if (failing != null) {
                LOG.log(System.Logger.Level.INFO, "event log: writing again after " + failing.getMessage());
                failing = null;
            }
            return r;
        } catch (LogException e) {
            if (failing == null) {
                LOG.log(System.Logger.Level.ERROR, "event log: " + e.getMessage() + (e.storageFull()
                        ? "; producers get 507 until there is room again (nothing was half-accepted)"
                        : "; producers get 503 until it can be written again"));
            }
            failing = e;
            throw e;
        }
    }

    private Result write(List<EventDraft> drafts) {
        long[] seqs = new long[drafts.size()];
        int duplicates = 0;
        long waitFor = 0;
        lock.lock();
        try {
            Instant now = clock.instant();
            dedup.expire(now);
            List<EventDraft> fresh = new ArrayList<>(drafts.size());
            int[] freshIndex = new int[drafts.size()];
            Map<String, Integer> firstInBatch = new HashMap<>();
            for (int i = 0; i < drafts.size(); i++) {
                EventDraft d = drafts.get(i);
                String id = d.id().orElse(null);
                if (id != null) {
                    long prior = dedup.lookup(id, now);
                    if (prior > 0) {
                        seqs[i] = prior;
                        waitFor = Math.max(waitFor, prior);
                        duplicates++;
                        continue;
                    }
                    Integer earlier = firstInBatch.putIfAbsent(id, i);
                    if (earlier != null) {
                        seqs[i] = -1 - earlier;
                        duplicates++;
                        continue;
                    }
                }
                freshIndex[fresh.size()] = i;
                fresh.add(d);
            }
            List<Event> events = log.write(fresh);
            long forgotten = dedup.forgottenEarly();
            for (int k = 0; k < events.size(); k++) {
                Event e = events.get(k);
                seqs[freshIndex[k]] = e.seq();
                e.id().ifPresent(id -> dedup.remember(id, e.seq(), e.receivedAt()));
                waitFor = Math.max(waitFor, e.seq());
            }
            if (dedup.forgottenEarly() != forgotten) {
                warnShortWindow(now);
            }
            for (int i = 0; i < seqs.length; i++) {
                if (seqs[i] < 0) {
                    seqs[i] = seqs[(int) (-1 - seqs[i])];
                }
            }
        } finally {
            lock.unlock();
        }
        if (waitFor > 0) {
            log.commit(waitFor);
        }
        int fresh = drafts.size() - duplicates;
        accepted.increment(fresh);
        deduplicated.increment(duplicates);
        List<Long> seqList = new ArrayList<>(seqs.length);
        for (long s : seqs) {
            seqList.add(s);
        }
        return new Result(fresh, duplicates, seqList);
    }

    /**
     * A log several hubs share recognises duplicates itself, whichever instance took the first post: no lock here,
     * concurrent requests go to the engine together.
     */
    private Result acceptShared(SharedEventLog shared, List<EventDraft> drafts) {
        List<SharedEventLog.Appended> appended = shared.appendUnique(drafts);
        int duplicates = 0;
        List<Long> seqs = new ArrayList<>(appended.size());
        for (SharedEventLog.Appended a : appended) {
            seqs.add(a.seq());
            if (a.duplicate()) {
                duplicates++;
            }
        }
        int fresh = drafts.size() - duplicates;
        accepted.increment(fresh);
        deduplicated.increment(duplicates);
        return new Result(fresh, duplicates, seqs);
    }
}
