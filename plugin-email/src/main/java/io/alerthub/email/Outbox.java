package io.alerthub.email;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.alerthub.email.EmailSettings.RetrySettings;
import io.alerthub.spi.Backoff;

/**
 * The mails waiting to go: one pending batch per recipient list (a group window, then a single mail or a
 * digest), the mails in the sender's hands, the reminders, the rate limit, and the SMTP server's state.
 * It does no network I/O: the lane adds events, the sending loop takes what is due, sends it, and reports back.
 *
 * <p>Every event stays held (see {@link #oldestHeld()}) until the server took its mail for every recipient, or
 * refused a recipient for good. What the event log cannot give back after a crash (which recipients already have
 * which events, the reminders) is written to the {@link OutboxJournal} before the events are let go.
 */
final class Outbox {

    private static final System.Logger LOG = System.getLogger(Outbox.class.getName());

    /** One mail for the sending loop. */
    sealed interface MailJob permits EventMail, ReminderMail {
        Recipients to();

        /** When the job took its rate-limit slot (given back if the server takes nothing). */
        long slot();
    }

    /**
     * A single event or a digest.
     *
     * @param batch the events
     * @param slot  its rate-limit slot
     */
    record EventMail(MailBatch batch, long slot) implements MailJob {
        @Override
        public Recipients to() {
            return batch.to();
        }
    }

    /**
     * Reminders due for one recipient list.
     *
     * @param to        the recipients
     * @param reminders the reminders
     * @param slot      its rate-limit slot
     */
    record ReminderMail(Recipients to, List<Reminder> reminders, long slot) implements MailJob {
    }

    /**
     * What the sending loop is to do next.
     *
     * @param jobs  mails to send on one connection
     * @param probe when there are no jobs: check that the server is back
     */
    record Work(List<MailJob> jobs, boolean probe) {
    }

    /**
     * A consistent view for health, details and meters (taken without waiting for the lock).
     *
     * @param pendingMails       mails waiting (one per recipient list with events), in flight included
     * @param pendingEvents      events held in them
     * @param digestsWaiting     of those mails, the ones that carry more than one event
     * @param remindersScheduled reminders waiting for their time
     * @param remindersDropped   violations that got no reminder because too many were waiting
     * @param serverProblem      why the server does not take mail, or {@code null}
     * @param refusingSince      since when (epoch millis), or 0
     * @param nextTryAt          when the server is tried again (epoch millis), or 0
     * @param journalProblem     why the journal cannot be written, or {@code null}
     * @param oldestHeld         the lowest seq held, or {@link Long#MAX_VALUE}
     */
    record State(int pendingMails, long pendingEvents, int digestsWaiting, int remindersScheduled,
                 long remindersDropped, String serverProblem, long refusingSince, long nextTryAt,
                 String journalProblem, long oldestHeld) {
        static final State EMPTY = new State(0, 0, 0, 0, 0, null, 0, 0, null, Long.MAX_VALUE);
    }

    private interface JournalWrite {
        void run() throws IOException;
    }

    final AtomicLong mailsSent = new AtomicLong();
    final AtomicLong digestsSent = new AtomicLong();
    final AtomicLong remindersSent = new AtomicLong();
    final AtomicLong sendFailures = new AtomicLong();
    final AtomicLong recipientsRejected = new AtomicLong();
    final AtomicLong skippedAsSent = new AtomicLong();

    private final String server;
    private final long groupWindowMillis;
    private final int maxShown;
    private final RetrySettings retry;
    private final Backoff backoff;
    private final Clock clock;
    private final OutboxJournal journal;
    private final ReminderBook reminders;
    private final RateLimiter limiter;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Map<String, MailBatch> pending = new LinkedHashMap<>();
    private final List<MailBatch> inFlight = new ArrayList<>();
    private final AtomicLong durableFloor = new AtomicLong();
    private volatile State state = State.EMPTY;

    private String serverProblem;
    private long refusingSince;
    private int serverAttempts;
    private long serverRetryAt;
    private boolean probeWanted = true;
    private boolean reached;
    private String journalProblem;
    private long limiterSweptAt;
    /** When {@link #due(long)} found nothing: when something next falls due (epoch millis). */
    private long nextWake = Long.MAX_VALUE;
    private boolean closed;

    Outbox(EmailSettings settings, OutboxJournal journal, Clock clock) {
        this.server = settings.smtp().describe();
        this.groupWindowMillis = settings.groupWindow().toMillis();
        this.maxShown = settings.digestMaxItems();
        this.retry = settings.retry();
        this.backoff = retry.backoff();
        this.clock = clock;
        this.journal = journal;
        this.reminders = new ReminderBook(settings.reminder());
        if (settings.reminder().enabled()) {
            this.reminders.restore(journal.savedReminders());
        } else if (!journal.savedReminders().isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "email: reminders are off; dropping " + journal.savedReminders().size()
                    + " reminder(s) the outbox still had");
        }
        this.limiter = new RateLimiter(settings.rateLimit().mails(), settings.rateLimit().per().toMillis());
        publish();
    }

    /**
     * An event for {@code routed}: it joins the recipient list's pending mail (opening a group window when there is
     * none). Recipients the journal says already have it are left out.
     *
     * @return whether anyone is still to get it
     */
    boolean add(Recipients routed, EventSummary event) {
        lock.lock();
        try {
            Recipients to = routed;
            Set<String> already = journal.alreadySent(routed, event.seq());
            if (!already.isEmpty()) {
                List<String> left = routed.without(already);
                if (left.isEmpty()) {
                    skippedAsSent.incrementAndGet();
                    return false;
                }
                to = Recipients.of(left);
            }
            MailBatch batch = pending.get(to.key());
            if (batch == null) {
                batch = new MailBatch(to, clock.millis() + groupWindowMillis);
                pending.put(to.key(), batch);
                wake.signalAll();
            }
            batch.add(event, maxShown);
            publish();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** An {@code ack_update} named the violation: its reminders end, and none is started for it later. */
    void acknowledged(String violationId) {
        lock.lock();
        try {
            if (reminders.acknowledge(violationId)) {
                writeJournal(() -> journal.recordReminders(new ReminderBook.Changes(List.of(), List.of(violationId))));
                maybeCompact();
                publish();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The hub's durable cursor is at least {@code seq}: no event up to it is handed over again. Never blocks. */
    void durableThrough(long seq) {
        durableFloor.accumulateAndGet(seq, Math::max);
    }

    /** The lowest seq still held, or {@link Long#MAX_VALUE}. Never blocks. */
    long oldestHeld() {
        return state.oldestHeld();
    }

    State state() {
        return state;
    }

    /**
     * Waits for work: mails whose window (or backoff) ended and whose rate limit allows them, due reminders, or
     * a probe of a server that refused.
     *
     * @return the work, or {@code null} once closed
     */
    Work take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!closed) {
                long now = clock.millis();
                Work work = due(now);
                if (work != null) {
                    return work;
                }
                long next = nextWake;
                if (next == Long.MAX_VALUE) {
                    wake.await();
                } else if (next > now) {
                    wake.await(next - now, TimeUnit.MILLISECONDS);
                }
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** The work due now, or {@code null} when nothing is (then {@link #take()} would wait). */
    Work poll() {
        lock.lock();
        try {
            return closed ? null : due(clock.millis());
        } finally {
            lock.unlock();
        }
    }

    private Work due(long now) {
        if (now < serverRetryAt) {
            nextWake = serverRetryAt;
            return null;
        }
        sweepLimiter(now);
        List<MailJob> jobs = new ArrayList<>();
        long next = takeBatches(now, jobs);
        nextWake = Math.min(next, takeReminders(now, jobs));
        if (!jobs.isEmpty()) {
            publish();
            return new Work(List.copyOf(jobs), false);
        }
        if (probeWanted || serverProblem != null) {
            probeWanted = false;
            return new Work(List.of(), true);
        }
        return null;
    }

    private long takeBatches(long now, List<MailJob> jobs) {
        long next = Long.MAX_VALUE;
        for (Iterator<MailBatch> it = pending.values().iterator(); it.hasNext(); ) {
            MailBatch b = it.next();
            if (b.dueAt > now) {
                next = Math.min(next, b.dueAt);
                continue;
            }
            long free = limiter.tryAcquire(b.to().key(), now);
            if (free != 0) {
                next = Math.min(next, free);
                continue;
            }
            it.remove();
            inFlight.add(b);
            jobs.add(new EventMail(b, now));
        }
        return next;
    }

    private long takeReminders(long now, List<MailJob> jobs) {
        long next = reminders.nextDueAfter(now);
        for (Map.Entry<Recipients, List<Reminder>> due : reminders.due(now).entrySet()) {
            long free = limiter.tryAcquire(due.getKey().key(), now);
            if (free != 0) {
                next = Math.min(next, free);
                continue;
            }
            reminders.take(due.getValue());
            jobs.add(new ReminderMail(due.getKey(), List.copyOf(due.getValue()), now));
        }
        return next;
    }

    /** The server answered for a mail. */
    void completed(MailJob job, SendOutcome outcome) {
        lock.lock();
        try {
            long now = clock.millis();
            if (outcome.accepted().isEmpty()) {
                limiter.release(job.to().key(), job.slot());
            }
            switch (job) {
                case EventMail m -> completeEvents(m.batch(), outcome, now);
                case ReminderMail r -> completeReminders(r, outcome, now);
            }
            if (!outcome.rejected().isEmpty() || !outcome.deferred().isEmpty()) {
                sendFailures.incrementAndGet();
            }
            if (outcome.serverProblem() != null) {
                serverFailed(outcome.serverProblem(), now);
            } else if (!outcome.accepted().isEmpty()) {
                serverFine(now);
            }
            maybeCompact();
            publish();
        } finally {
            lock.unlock();
        }
    }

    private void completeEvents(MailBatch batch, SendOutcome outcome, long now) {
        inFlight.remove(batch);
        List<String> accepted = outcome.accepted();
        if (!accepted.isEmpty()) {
            List<Reminder> started = reminders.schedule(batch.remindable(), accepted, now);
            writeJournal(() -> journal.recordSent(accepted, batch.seqs(), started));
            mailsSent.incrementAndGet();
            if (batch.count() > 1) {
                digestsSent.incrementAndGet();
            }
        }
        for (SendOutcome.Refusal r : outcome.rejected()) {
            recipientsRejected.incrementAndGet();
            LOG.log(System.Logger.Level.WARNING, "email: " + r.address() + " refused a mail of " + batch.count()
                    + " event(s) for good (" + r.reply() + "); it is not retried for that recipient");
        }
        if (outcome.deferred().isEmpty()) {
            return;
        }
        Recipients deferred = Recipients.of(outcome.deferred());
        MailBatch again = deferred.equals(batch.to()) ? batch : batch.retarget(deferred, maxShown);
        if (outcome.serverProblem() != null) {
            // The server as a whole said no: its backoff decides when the mail goes again, not the mail's own.
            again.dueAt = now;
        } else {
            if (again.deferredSince == 0) {
                again.deferredSince = now;
            }
            again.attempts++;
            if (now - again.deferredSince >= retry.giveUpAfter().toMillis()) {
                recipientsRejected.addAndGet(deferred.addresses().size());
                LOG.log(System.Logger.Level.WARNING, "email: " + deferred + " kept answering '" + outcome.deferReason()
                        + "' for " + retry.giveUpAfter() + "; giving up on a mail of " + batch.count() + " event(s)");
                return;
            }
            long wait = backoff.delay(again.attempts).toMillis();
            again.dueAt = now + wait;
            // One line when a recipient starts deferring; the retries that follow are routine.
            LOG.log(again.attempts == 1 ? System.Logger.Level.INFO : System.Logger.Level.DEBUG, "email: " + deferred
                    + " answered '" + outcome.deferReason() + "'; trying a mail of " + batch.count()
                    + " event(s) again in " + wait + " ms (attempt " + again.attempts + ")");
        }
        requeue(again);
    }

    private void completeReminders(ReminderMail mail, SendOutcome outcome, long now) {
        for (SendOutcome.Refusal r : outcome.rejected()) {
            recipientsRejected.incrementAndGet();
            LOG.log(System.Logger.Level.WARNING, "email: " + r.address() + " refused a reminder for good ("
                    + r.reply() + ")");
        }
        if (!outcome.accepted().isEmpty() || outcome.deferred().isEmpty()) {
            // Taken by someone, or refused for good by all: either way this reminder is done.
            ReminderBook.Changes changes = reminders.sent(mail.reminders(), now);
            writeJournal(() -> journal.recordReminders(changes));
            if (!outcome.accepted().isEmpty()) {
                mailsSent.incrementAndGet();
                remindersSent.incrementAndGet();
            }
        } else {
            // Reminders are not events of the log: a recipient that keeps deferring them gets the next one later.
            long retryAt = outcome.serverProblem() != null ? now : now + retry.maxBackoff().toMillis();
            reminders.postpone(mail.reminders(), retryAt);
        }
    }

    /** The jobs were not tried (the connection dropped before them, or the plugin is closing): they wait again. */
    void notAttempted(List<MailJob> jobs) {
        lock.lock();
        try {
            giveBack(jobs, clock.millis());
            publish();
        } finally {
            lock.unlock();
        }
    }

    /** The server could not be used at all (connect, TLS or login failed). */
    void serverRefused(List<MailJob> jobs, String problem) {
        lock.lock();
        try {
            long now = clock.millis();
            giveBack(jobs, now);
            sendFailures.addAndGet(jobs.size());
            serverFailed(problem, now);
            publish();
        } finally {
            lock.unlock();
        }
    }

    /** A probe connected (and logged in): the server is back. */
    void serverReachable() {
        lock.lock();
        try {
            serverFine(clock.millis());
            publish();
        } finally {
            lock.unlock();
        }
    }

    /** The mail could not be put together (a template failed): it is dropped, not retried. */
    void unsendable(MailJob job, String why) {
        lock.lock();
        try {
            long now = clock.millis();
            limiter.release(job.to().key(), job.slot());
            switch (job) {
                case EventMail m -> {
                    inFlight.remove(m.batch());
                    recipientsRejected.addAndGet(m.to().addresses().size());
                    LOG.log(System.Logger.Level.WARNING, "email: a mail of " + m.batch().count() + " event(s) to "
                            + m.to() + " cannot be put together and is dropped: " + why);
                }
                case ReminderMail r -> {
                    writeJournal(() -> journal.recordReminders(reminders.sent(r.reminders(), now)));
                    LOG.log(System.Logger.Level.WARNING, "email: a reminder to " + r.to()
                            + " cannot be put together and is dropped: " + why);
                }
            }
            publish();
        } finally {
            lock.unlock();
        }
    }

    /** Stops {@link #take()}; whatever is pending stays held (the event log gives it back after a restart). */
    void close() {
        lock.lock();
        try {
            closed = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean closed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Puts jobs back that were handed out and not completed (a completed one is left alone). */
    private void giveBack(List<MailJob> jobs, long now) {
        for (MailJob job : jobs) {
            boolean open = switch (job) {
                case EventMail m -> inFlight.remove(m.batch());
                case ReminderMail r -> reminders.taken(r.reminders());
            };
            if (!open) {
                continue;
            }
            limiter.release(job.to().key(), job.slot());
            switch (job) {
                case EventMail m -> requeue(m.batch());
                case ReminderMail r -> reminders.postpone(r.reminders(), now);
            }
        }
    }

    private void requeue(MailBatch again) {
        MailBatch newer = pending.get(again.to().key());
        if (newer != null) {
            again.absorb(newer, maxShown);
        }
        pending.put(again.to().key(), again);
    }

    private void serverFailed(String problem, long now) {
        if (serverProblem == null) {
            refusingSince = now;
            LOG.log(System.Logger.Level.WARNING, "email: SMTP server " + server + " refuses: " + problem + "; "
                    + heldEvents() + " event(s) held, retrying with backoff");
        }
        serverProblem = problem;
        serverAttempts++;
        serverRetryAt = now + backoff.delay(serverAttempts).toMillis();
    }

    private void serverFine(long now) {
        if (!reached) {
            reached = true;
            if (serverProblem == null) {
                LOG.log(System.Logger.Level.INFO, "email: SMTP server " + server + " reachable");
            }
        }
        if (serverProblem != null) {
            LOG.log(System.Logger.Level.INFO, "email: SMTP server " + server + " takes mail again after "
                    + Math.max(0, (now - refusingSince) / 1000) + " s");
        }
        serverProblem = null;
        refusingSince = 0;
        serverAttempts = 0;
        serverRetryAt = 0;
    }

    private long heldEvents() {
        long n = 0;
        for (MailBatch b : pending.values()) {
            n += b.count();
        }
        for (MailBatch b : inFlight) {
            n += b.count();
        }
        return n;
    }

    private void sweepLimiter(long now) {
        if (now - limiterSweptAt > 60_000) {
            limiter.forgetIdle(now);
            limiterSweptAt = now;
        }
    }

    private void maybeCompact() {
        if (journal.wantsCompaction()) {
            writeJournal(() -> journal.compact(durableFloor.get(), reminders.all()));
        }
    }

    private void writeJournal(JournalWrite write) {
        try {
            write.run();
            if (journalProblem != null) {
                LOG.log(System.Logger.Level.INFO, "email: the outbox journal " + journal.file()
                        + " can be written again");
                journalProblem = null;
            }
        } catch (IOException e) {
            if (journalProblem == null) {
                LOG.log(System.Logger.Level.WARNING, "email: cannot write the outbox journal " + journal.file() + ": "
                        + e.getMessage() + "; until it can, a restart may repeat mails already sent or lose"
                        + " reminders");
            }
            journalProblem = String.valueOf(e.getMessage());
        }
    }

    private void publish() {
        long oldest = Long.MAX_VALUE;
        long events = 0;
        int digests = 0;
        for (MailBatch b : pending.values()) {
            oldest = Math.min(oldest, b.seqs().first());
            events += b.count();
            digests += b.count() > 1 ? 1 : 0;
        }
        for (MailBatch b : inFlight) {
            oldest = Math.min(oldest, b.seqs().first());
            events += b.count();
            digests += b.count() > 1 ? 1 : 0;
        }
        state = new State(pending.size() + inFlight.size(), events, digests, reminders.size(), reminders.dropped(),
                          serverProblem, refusingSince, serverProblem == null ? 0 : serverRetryAt, journalProblem,
                          oldest);
    }
}
