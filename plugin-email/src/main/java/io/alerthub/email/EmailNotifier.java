package io.alerthub.email;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.ToDoubleFunction;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import io.alerthub.email.Outbox.EventMail;
import io.alerthub.email.Outbox.MailJob;
import io.alerthub.email.Outbox.ReminderMail;
import io.alerthub.spi.Event;
import io.alerthub.spi.HeldEvents;
import io.alerthub.spi.Health;
import io.alerthub.spi.HubContext;
import io.alerthub.spi.Meters;
import io.alerthub.spi.Notifier;


/**
 * The email channel. {@link #deliver(Event)} only routes the event into the {@link Outbox} (it never blocks on
 * SMTP); one sending loop of its own (a virtual thread) sends what is due, with its own backoff, and reports the
 * server's state through {@link #health()}. Events stay held ({@link HeldEvents}) until their mail was taken by
 * the server, so the hub's cursor never passes an event that is not mailed yet.
 */
final class EmailNotifier implements Notifier, HeldEvents {

    private static final System.Logger LOG = System.getLogger(EmailNotifier.class.getName());
    private static final String ACK_UPDATE = "ack_update";
    /** How long close waits for a mail on the wire to finish before cutting it off. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(15);

    private final EmailSettings settings;
    private final MailTemplates templates;
    private final HubContext hub;
    private final Clock clock;

    private volatile Outbox outbox;
    private OutboxJournal journal;
    private SmtpClient smtp;
    private MailComposer composer;
    private Thread sender;

    // Written by the lane thread only (deliver, oldestHeld and cursorSaved are all called by the hub's lane).
    private boolean delivered;
    private volatile long lastDelivered;

    EmailNotifier(EmailSettings settings, MailTemplates templates, HubContext hub, Clock clock) {
        this.settings = settings;
        this.templates = templates;
        this.hub = hub;
        this.clock = clock;
    }

    @Override
    public void start() {
        Path dir = settings.outboxDir().orElseGet(hub::dataDir);
        try {
            journal = OutboxJournal.open(dir);
            long head = hub.history().headSeq();
            if (journal.highestSent() > head) {
                LOG.log(System.Logger.Level.WARNING, "email: the outbox in " + dir + " records mails up to event "
                        + journal.highestSent() + " but the event log ends at " + head + " (a new event log?);"
                        + " forgetting those records");
                journal.forgetSent();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the email outbox in " + dir + ": " + e.getMessage(), e);
        }
        outbox = new Outbox(settings, journal, clock);
        registerMeters(hub.meters());
        ClassLoader own = EmailNotifier.class.getClassLoader();
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        // Jakarta Mail and Activation find their providers through the context class loader: make it the plugin's
        // own, which holds them, also when the plugin is loaded from a plugins/ folder.
        current.setContextClassLoader(own);
        try {
            smtp = new SmtpClient(settings.smtp(), settings.from());
            composer = new MailComposer(smtp.session(), settings.from());
        } finally {
            current.setContextClassLoader(previous);
        }
        sender = Thread.ofVirtual().name("email-sender").unstarted(this::sendLoop);
        sender.setContextClassLoader(own);
        sender.start();
        StringJoiner rules = new StringJoiner("; ");
        settings.rules().forEach(r -> rules.add(r.toString()));
        LOG.log(System.Logger.Level.INFO, "email: mailing through " + settings.smtp().describe() + " from "
                + settings.from().getAddress() + ", group window " + settings.groupWindow() + ", at most "
                + settings.rateLimit().mails() + " mails per " + settings.rateLimit().per()
                + " per recipient list; rules: " + rules + "; outbox " + journal.file());
        SmtpSettings smtpSettings = settings.smtp();
        if (!smtpSettings.username().isEmpty() && !smtpSettings.starttls() && !smtpSettings.ssl()) {
            LOG.log(System.Logger.Level.WARNING, "email: logging in to the SMTP server without TLS: the password"
                    + " crosses the network in clear text; set smtp.starttls or smtp.ssl");
        }
    }

    @Override
    public void deliver(Event event) {
        Outbox box = outbox;
        if (!delivered) {
            // The hub hands over events from its durable cursor on: everything before this one is settled for good.
            delivered = true;
            box.durableThrough(event.seq() - 1);
        }
        lastDelivered = event.seq();
        if (ACK_UPDATE.equals(event.type())) {
            acknowledged(event);
        }
        for (RoutingRule rule : settings.rules()) {
            if (rule.matches(event)) {
                box.add(rule.to(), EventSummary.of(event));
                return;
            }
        }
    }

    private void acknowledged(Event event) {
        JsonNode p = event.payload();
        JsonNode id = p.get("violation_id");
        if (id == null || id.isNull() || !(id.isTextual() || id.isNumber())) {
            return;
        }
        if (p.has("acknowledged") && !p.path("acknowledged").asBoolean(true)) {
            return;
        }
        outbox.acknowledged(id.asText());
    }

    /** The lowest seq still held: the hub's cursor for this plugin stays below it. */
    @Override
    public long oldestHeld() {
        Outbox box = outbox;
        return box == null ? Long.MAX_VALUE : box.oldestHeld();
    }

    /** After a restart the hub begins past {@code seq}: the journal may forget what it recorded up to there. */
    @Override
    public void cursorSaved(long seq) {
        Outbox box = outbox;
        if (box != null) {
            box.durableThrough(seq);
        }
    }

    @Override
    public Health health() {
        Outbox box = outbox;
        if (box == null) {
            return Health.up();
        }
        Outbox.State s = box.state();
        if (s.serverProblem() != null) {
            return Health.degraded("SMTP server " + settings.smtp().describe() + " refuses: " + s.serverProblem()
                    + "; " + s.pendingMails() + " mail(s) with " + s.pendingEvents() + " event(s) pending");
        }
        if (s.journalProblem() != null) {
            return Health.degraded("cannot write the outbox journal: " + s.journalProblem());
        }
        return Health.up();
    }

    @Override
    public Map<String, Object> details() {
        Outbox box = outbox;
        if (box == null) {
            return Map.of();
        }
        Outbox.State s = box.state();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("server", s.serverProblem() == null ? "accepting" : "refusing");
        if (s.serverProblem() != null) {
            d.put("server_problem", s.serverProblem());
            d.put("next_try_in_ms", Math.max(0, s.nextTryAt() - clock.millis()));
        }
        d.put("pending_mails", s.pendingMails());
        d.put("pending_events", s.pendingEvents());
        d.put("digests_waiting", s.digestsWaiting());
        d.put("reminders_scheduled", s.remindersScheduled());
        d.put("mails_sent", box.mailsSent.get());
        d.put("digests_sent", box.digestsSent.get());
        d.put("reminders_sent", box.remindersSent.get());
        d.put("send_failures", box.sendFailures.get());
        d.put("recipients_rejected", box.recipientsRejected.get());
        d.put("already_sent_skipped", box.skippedAsSent.get());
        d.put("reminders_dropped", s.remindersDropped());
        if (s.oldestHeld() != Long.MAX_VALUE) {
            d.put("oldest_held_seq", s.oldestHeld());
        }
        d.put("lag", lag(box));
        return d;
    }

    /** Events accepted by the hub that are not mailed yet (or not handed to the plugin yet). */
    private long lag(Outbox box) {
        long head = hub.history().headSeq();
        long oldest = box.oldestHeld();
        long settled = oldest == Long.MAX_VALUE ? lastDelivered : oldest - 1;
        return Math.max(0, head - settled);
    }

    @Override
    public void close() {
        Outbox box = outbox;
        if (box == null) {
            return;
        }
        box.close();
        if (sender != null) {
            try {
                if (!sender.join(CLOSE_WAIT)) {
                    LOG.log(System.Logger.Level.WARNING, "email: a mail was still on the wire after " + CLOSE_WAIT
                            + "; cutting it off (it is sent again after the restart)");
                    sender.interrupt();
                    sender.join(Duration.ofSeconds(2));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            journal.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "email: closing the outbox journal: " + e.getMessage());
        }
    }

    private void sendLoop() {
        Outbox box = outbox;
        while (true) {
            Outbox.Work work;
            try {
                work = box.take();
            } catch (InterruptedException e) {
                return;
            }
            if (work == null) {
                return;
            }
            try {
                if (work.probe()) {
                    probe(box);
                } else {
                    send(box, work.jobs());
                }
            } catch (RuntimeException e) {
                // A bug, not the server: worth its stack trace. Mails not settled yet wait and are tried again.
                LOG.log(System.Logger.Level.ERROR, "email: the sending loop failed", e);
                box.serverRefused(work.jobs(), "internal error: " + e);
            }
        }
    }

    private void probe(Outbox box) {
        try {
            smtp.connect().close();
            box.serverReachable();
        } catch (SmtpClient.UnavailableException e) {
            box.serverRefused(List.of(), e.getMessage());
        }
    }

    private void send(Outbox box, List<MailJob> jobs) {
        SmtpClient.Connection connection;
        try {
            connection = smtp.connect();
        } catch (SmtpClient.UnavailableException e) {
            box.serverRefused(jobs, e.getMessage());
            return;
        }
        try (connection) {
            for (int i = 0; i < jobs.size(); i++) {
                MailJob job = jobs.get(i);
                if (!connection.usable() || box.closed()) {
                    box.notAttempted(jobs.subList(i, jobs.size()));
                    return;
                }
                MimeMessage message;
                try {
                    message = compose(job);
                } catch (MessagingException | RuntimeException e) {
                    box.unsendable(job, SmtpClient.describe(e));
                    continue;
                }
                box.completed(job, connection.send(message, job.to()));
            }
        }
    }

    private MimeMessage compose(MailJob job) throws MessagingException {
        return switch (job) {
            case EventMail m -> {
                MailBatch b = m.batch();
                boolean single = b.count() == 1;
                MailTemplates.Rendered r = single ? templates.event(b.shown().getFirst()) : templates.digest(b);
                String kind = single ? "event" : "digest";
                yield composer.compose(r, b.to(), kind, b.count(), kind + "|" + b.to() + "|" + b.seqs());
            }
            case ReminderMail r -> {
                StringJoiner ids = new StringJoiner(",");
                r.reminders().forEach(x -> ids.add(x.violationId() + "#" + x.sent()));
                yield composer.compose(templates.reminder(r.reminders(), clock.millis()), r.to(), "reminder",
                                       r.reminders().size(), "reminder|" + r.to() + "|" + ids);
            }
        };
    }

    private void registerMeters(Meters meters) {
        Outbox box = outbox;
        meters.counter("alerthub.email.mails.sent", "Mails the SMTP server took (single events, digests and"
                + " reminders)", box.mailsSent::get);
        meters.counter("alerthub.email.digests.sent", "Digest mails the SMTP server took", box.digestsSent::get);
        meters.counter("alerthub.email.reminders.sent", "Reminder mails the SMTP server took", box.remindersSent::get);
        meters.counter("alerthub.email.send.failures", "Mails the SMTP server did not take in full on a try",
                box.sendFailures::get);
        meters.counter("alerthub.email.recipients.rejected", "Recipients a mail could not be delivered to for good",
                box.recipientsRejected::get);
        meters.counter("alerthub.email.duplicates.avoided", "Events handed over again after a restart that the"
                + " outbox knew were already mailed", box.skippedAsSent::get);
        gauge(meters, "alerthub.email.mails.pending", "Mails waiting to be sent", b -> b.state().pendingMails());
        gauge(meters, "alerthub.email.events.pending", "Events held in mails waiting to be sent",
              b -> b.state().pendingEvents());
        gauge(meters, "alerthub.email.digests.pending", "Waiting mails that carry more than one event",
              b -> b.state().digestsWaiting());
        gauge(meters, "alerthub.email.reminders.scheduled", "Reminders waiting for their time",
              b -> b.state().remindersScheduled());
        gauge(meters, "alerthub.email.server.up", "1 while the SMTP server takes mail, 0 while it refuses",
              b -> b.state().serverProblem() == null ? 1 : 0);
        gauge(meters, "alerthub.email.lag", "Events accepted by the hub and not mailed yet", this::lag);
    }

    private void gauge(Meters meters, String name, String description, ToDoubleFunction<Outbox> value) {
        Outbox box = outbox;
        meters.gauge(name, description, Map.of(), () -> value.applyAsDouble(box));
    }
}
