package io.alerthub.email;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import io.alerthub.spi.ConfigNode;
import io.alerthub.spi.DeliveryException;
import io.alerthub.spi.Event;
import io.alerthub.spi.Health;
import io.alerthub.spi.HubContext;
import io.alerthub.spi.Meters;
import io.alerthub.spi.Notification;
import io.alerthub.spi.NotificationSender;
import io.alerthub.spi.Notifier;

/**
 * The email channel: renders one notification (a single event, a digest, an escalation) from its templates and
 * sends it over SMTP to the receiver's recipients, then says how that went. Which events go to whom, digests, rate
 * limits, reminders and retries are the hub's notification policy (docs/alarms.md).
 *
 * <p>What the server said decides the answer: a server that cannot be reached or refuses the mail as a whole (421,
 * a 4xx to {@code MAIL FROM} or {@code DATA}, a lost connection) makes the notification wait ({@code unavailable}:
 * kept and retried for as long as it takes); so does a recipient's 4xx ("try later"), and the mail then goes again to
 * that recipient only (the others, who took it, are remembered for that notification); a recipient's 5xx refuses the
 * mail to them for good (logged once, counted); 5xx for everyone, or a mail that cannot be rendered, is
 * {@code permanent}.
 */
final class EmailNotifier implements Notifier, NotificationSender {

    private static final System.Logger LOG = System.getLogger(EmailNotifier.class.getName());

    private final EmailSettings settings;
    private final MailTemplates templates;
    private final HubContext hub;
    private final Clock clock;
    /** Per notification in hand, the recipients that already took it (a 4xx for another sends it again to them only). */
    private final Map<String, Set<String>> accepted = new ConcurrentHashMap<>();
    private final AtomicLong mailsSent = new AtomicLong();
    private final AtomicLong digestsSent = new AtomicLong();
    private final AtomicLong remindersSent = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private final AtomicLong recipientsRejected = new AtomicLong();
    private volatile String serverProblem;
    private volatile SmtpClient smtp;
    private volatile MailComposer composer;

    EmailNotifier(EmailSettings settings, MailTemplates templates, HubContext hub, Clock clock) {
        this.settings = settings;
        this.templates = templates;
        this.hub = hub;
        this.clock = clock;
    }

    @Override
    public void start() {
        onOwnLoader(() -> {
            smtp = new SmtpClient(settings.smtp(), settings.from());
            composer = new MailComposer(smtp.session(), settings.from());
            return null;
        });
        registerMeters(hub.meters());
        LOG.log(System.Logger.Level.INFO, "email: mailing through " + settings.smtp().describe() + " from "
                + settings.from().getAddress());
        SmtpSettings smtpSettings = settings.smtp();
        if (!smtpSettings.username().isEmpty() && !smtpSettings.starttls() && !smtpSettings.ssl()) {
            LOG.log(System.Logger.Level.WARNING, "email: logging in to the SMTP server without TLS: the password"
                    + " crosses the network in clear text; set smtp.starttls or smtp.ssl");
        }
    }

    /** Never called: the hub feeds a notification sender notifications, not events. */
    @Override
    public void deliver(Event event) {
    }

    /**
     * A receiver's recipients: {@code email: [a@plant.example, b@plant.example]} (or one address, or a comma list),
     * or {@code email: { to: [..] }}; each address is checked strictly.
     */
    @Override
    public String address(ConfigNode receiver, String key) {
        AddressField at = AddressField.of(receiver, key, "to");
        List<String> out = new ArrayList<>();
        for (String a : at.node().strings(at.name(), List.of())) {
            try {
                out.add(Recipients.parseAddress(a));
            } catch (IllegalArgumentException e) {
                throw at.node().error(at.name(), e.getMessage());
            }
        }
        if (out.isEmpty()) {
            throw at.node().error(at.name(), "is required: at least one mail address");
        }
        return Recipients.of(out).key();
    }

    @Override
    public void send(Notification n) throws DeliveryException {
        Recipients all = Recipients.of(List.of(n.address().split(",")));
        Set<String> done = accepted.getOrDefault(n.id(), Set.of());
        List<String> left = all.without(done);
        if (left.isEmpty()) {
            accepted.remove(n.id());
            return;
        }
        Recipients to = Recipients.of(left);
        MimeMessage message;
        try {
            message = onOwnLoader(() -> compose(n, to));
        } catch (MessagingException | RuntimeException e) {
            accepted.remove(n.id());
            throw DeliveryException.permanent("the mail cannot be rendered: " + SmtpClient.describe(e));
        }
        SendOutcome outcome = onOwnLoader(() -> {
            try (SmtpClient.Connection c = smtp.connect()) {
                return c.send(message, to);
            } catch (SmtpClient.UnavailableException e) {
                return SendOutcome.serverFailed(to.addresses(), e.getMessage());
            }
        });
        settle(n, to, outcome);
    }

    private MimeMessage compose(Notification n, Recipients to) throws MessagingException {
        MailTemplates.Rendered r = switch (n.kind()) {
            case EVENT -> templates.event(EventSummary.of(n.events().getFirst()));
            case DIGEST -> templates.digest(n);
            case ESCALATION -> templates.escalation(n, clock.instant());
        };
        String kind = switch (n.kind()) {
            case EVENT -> "event";
            case DIGEST -> "digest";
            case ESCALATION -> "reminder";
        };
        return composer.compose(r, to, kind, n.eventCount(), kind + "|" + n.address() + "|" + n.id());
    }

    /** What the server did with the mail, as the hub's answer. */
    private void settle(Notification n, Recipients to, SendOutcome o) throws DeliveryException {
        boolean takenBefore = accepted.containsKey(n.id());
        if (!o.accepted().isEmpty()) {
            Set<String> took = accepted.computeIfAbsent(n.id(), k -> ConcurrentHashMap.newKeySet());
            o.accepted().forEach(a -> took.add(a.toLowerCase(Locale.ROOT)));
        }
        for (SendOutcome.Refusal r : o.rejected()) {
            recipientsRejected.incrementAndGet();
            LOG.log(System.Logger.Level.WARNING, "email: " + r.address() + " refused a mail of " + n.eventCount()
                    + " event(s) for good (" + r.reply() + ")");
        }
        if (o.serverProblem() != null) {
            sendFailures.incrementAndGet();
            if (serverProblem == null) {
                LOG.log(System.Logger.Level.WARNING, "email: SMTP server " + settings.smtp().describe()
                        + " refuses: " + o.serverProblem() + "; the mail waits and is tried again");
            }
            serverProblem = o.serverProblem();
            throw DeliveryException.unavailable("SMTP server " + settings.smtp().describe() + " refuses: "
                                                        + o.serverProblem());
        }
        if (serverProblem != null) {
            LOG.log(System.Logger.Level.INFO, "email: SMTP server " + settings.smtp().describe() + " takes mail again");
            serverProblem = null;
        }
        if (!o.deferred().isEmpty()) {
            // "try later" for a recipient: the mail waits (only they get it again), as long as the server says so
            sendFailures.incrementAndGet();
            throw DeliveryException.unavailable(String.join(", ", o.deferred()) + " answered '" + o.deferReason()
                                                        + "'" + (o.accepted().isEmpty() && !takenBefore ? ""
                    : "; the others took it"));
        }
        accepted.remove(n.id());
        if (o.accepted().isEmpty() && !takenBefore) {
            throw DeliveryException.permanent("every recipient (" + to + ") refused it for good: "
                                                      + o.rejected().getFirst().reply());
        }
        mailsSent.incrementAndGet();
        switch (n.kind()) {
            case DIGEST -> digestsSent.incrementAndGet();
            case ESCALATION -> remindersSent.incrementAndGet();
            default -> {
            }
        }
    }

    @Override
    public Health health() {
        String problem = serverProblem;
        if (problem != null) {
            return Health.degraded("SMTP server " + settings.smtp().describe() + " refuses: " + problem);
        }
        return Health.up();
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        String problem = serverProblem;
        d.put("server", problem == null ? "accepting" : "refusing");
        if (problem != null) {
            d.put("server_problem", problem);
        }
        d.put("mails_sent", mailsSent.get());
        d.put("digests_sent", digestsSent.get());
        d.put("reminders_sent", remindersSent.get());
        d.put("send_failures", sendFailures.get());
        d.put("recipients_rejected", recipientsRejected.get());
        return d;
    }

    private void registerMeters(Meters meters) {
        meters.counter("alerthub.email.mails.sent", "Mails the SMTP server took (single events, digests and"
                + " reminders)", mailsSent::get);
        meters.counter("alerthub.email.digests.sent", "Digest mails the SMTP server took", digestsSent::get);
        meters.counter("alerthub.email.reminders.sent", "Escalation (reminder) mails the SMTP server took",
                       remindersSent::get);
        meters.counter("alerthub.email.send.failures", "Mails the SMTP server did not take in full on a try",
                       sendFailures::get);
        meters.counter("alerthub.email.recipients.rejected", "Recipients a mail could not be delivered to for good",
                       recipientsRejected::get);
        meters.gauge("alerthub.email.server.up", "1 while the SMTP server takes mail, 0 while it refuses", Map.of(),
                     () -> serverProblem == null ? 1 : 0);
    }

    /** A step that may fail with a checked exception of its own type. */
    @FunctionalInterface
    private interface Step<T, X extends Exception> {
        T run() throws X;
    }

    /**
     * Runs {@code step} with the plugin's own class loader as the context class loader: Jakarta Mail and Activation
     * find their providers through it, also when the plugin is loaded from a plugins/ folder, and the hub's threads
     * have the hub's.
     */
    private static <T, X extends Exception> T onOwnLoader(Step<T, X> step) throws X {
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        current.setContextClassLoader(EmailNotifier.class.getClassLoader());
        try {
            return step.run();
        } finally {
            current.setContextClassLoader(previous);
        }
    }

    @Override
    public void close() {
        accepted.clear();
    }
}
