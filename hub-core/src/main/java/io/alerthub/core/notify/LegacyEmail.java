package io.alerthub.core.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.alerthub.spi.ConfigNode;
import io.alerthub.spi.Severity;
import io.alerthub.spi.SubscriptionPattern;

/**
 * The email plugin's routing keys of earlier versions, kept working as the shorthand for one part of
 * {@code notify}: {@code to} becomes the receiver {@code email}; {@code filter} (or each of {@code rules}) a route
 * with {@code group-window}, {@code digest-max-items} and {@code rate-limit}; {@code reminder} an escalation policy
 * per route that takes CRITICAL violations. A rule with its own {@code to} gets a receiver of its own
 * ({@code email-rule-2}).
 *
 * <p>They apply only while {@code notify} has no receivers, routes or escalations of its own, and only when the email
 * plugin is enabled; with both, the start fails naming the key to move. {@code retry} is refused (the hub retries
 * now: {@code hub.dispatch}); {@code outbox-dir} is accepted and ignored (the outbox is the hub's, in
 * {@code hub.data-dir/notify}), with a warning.
 */
final class LegacyEmail {

    private static final System.Logger LOG = System.getLogger(LegacyEmail.class.getName());
    static final String RECEIVER = "email";
    static final String CHANNEL = "email";
    private static final List<String> ROUTING_KEYS = List.of("to", "filter", "rules", "group-window",
                                                             "digest-max-items", "rate-limit", "reminder");

    private final ConfigNode email;
    private final boolean applies;

    private LegacyEmail(ConfigNode email, boolean applies) {
        this.email = email;
        this.applies = applies;
    }

    /**
     * Checks the email plugin's routing keys.
     *
     * @param email     {@code plugins.email}
     * @param notifyOwn whether {@code notify} has receivers, routes or escalations of its own
     */
    static LegacyEmail read(ConfigNode email, boolean notifyOwn) {
        if (email.exists("retry")) {
            throw email.error("retry", "retries are the hub's now, the same for every channel: remove"
                    + " plugins.email.retry and set hub.dispatch (retries, base-delay, max-delay) if needed");
        }
        if (email.exists("outbox-dir")) {
            email.accept("outbox-dir");
            LOG.log(System.Logger.Level.WARNING, email.key("outbox-dir") + " is no longer used: pending"
                    + " notifications are kept by the hub in hub.data-dir/notify; remove the key");
        }
        if (notifyOwn) {
            for (String key : ROUTING_KEYS) {
                if (email.exists(key)) {
                    throw email.error(key, "notify has receivers, routes or escalations of its own: name the"
                            + " recipients in notify.receivers (quality: { email: { to: [..] } }) and the rest in"
                            + " notify.routes and notify.escalations instead (docs/alarms.md)");
                }
            }
            return new LegacyEmail(email, false);
        }
        boolean enabled = email.bool("enabled", false);
        LegacyEmail legacy = new LegacyEmail(email, enabled);
        legacy.check();
        return legacy;
    }

    boolean applies() {
        return applies;
    }

    /** Reads every key, so that a bad one stops the start whether or not the plugin is enabled. */
    private void check() {
        addTo(new java.util.LinkedHashMap<>(), new ArrayList<>(), new ArrayList<>());
    }

    /** Adds the shorthand's receivers, routes and escalation policies. */
    void addTo(Map<String, NotifySettings.Receiver> receivers, List<NotifySettings.Route> routes,
               List<NotifySettings.EscalationPolicy> escalations) {
        // read by the email plugin when the receivers are resolved, after its own section was checked
        email.accept("to");
        NotifySettings.Receiver plain = new NotifySettings.Receiver(RECEIVER, CHANNEL, email, "to");
        Duration window = email.duration("group-window", NotifySettings.DEFAULT_GROUP_WINDOW);
        int digestSize = email.integer("digest-max-items", NotifySettings.DEFAULT_DIGEST_SIZE, 1, 1000);
        ConfigNode limit = email.child("rate-limit");
        NotifySettings.RateLimit rate = new NotifySettings.RateLimit(
                limit.integer("mails", NotifySettings.DEFAULT_RATE_LIMIT.notifications(), 1, 1_000_000),
                limit.positiveDuration("per", NotifySettings.DEFAULT_RATE_LIMIT.per()));
        List<ConfigNode> rules = email.sections("rules");
        List<NotifySettings.Route> added = new ArrayList<>();
        if (rules.isEmpty()) {
            EventMatcher filter = EventMatcher.fromConfig(email.child("filter"), List.of("violation"),
                                                          Severity.CRITICAL);
            added.add(new NotifySettings.Route(routes.size(), filter, List.of(RECEIVER), window, digestSize, rate,
                                               false));
            receivers.put(RECEIVER, plain);
        } else {
            if (email.exists("filter")) {
                throw email.error("filter", "give either filter (one rule for `to`) or rules, not both");
            }
            for (int i = 0; i < rules.size(); i++) {
                ConfigNode r = rules.get(i);
                String receiver = RECEIVER;
                r.accept("to");
                if (r.exists("to")) {
                    receiver = RECEIVER + "-rule-" + (i + 1);
                    receivers.put(receiver, new NotifySettings.Receiver(receiver, CHANNEL, r, "to"));
                } else {
                    // a rule without its own `to` mails the plugin's
                    receivers.put(RECEIVER, plain);
                }
                EventMatcher match = EventMatcher.fromConfig(r, List.of("violation"), Severity.CRITICAL);
                added.add(new NotifySettings.Route(routes.size() + i, match, List.of(receiver), window, digestSize,
                                                   rate, false));
            }
        }
        routes.addAll(added);
        ConfigNode reminder = email.child("reminder");
        boolean remind = reminder.bool("enabled", false);
        Duration after = reminder.positiveDuration("after", Duration.ofMinutes(30));
        Duration repeat = reminder.positiveDuration("repeat", after);
        int max = reminder.integer("max", 3, 1, 100);
        if (remind) {
            for (NotifySettings.Route route : added) {
                EventMatcher m = route.match();
                if (remindable(m)) {
                    EventMatcher criticalViolations = new EventMatcher(List.of(SubscriptionPattern.event("violation")),
                                                                       Severity.CRITICAL, m.topics(),
                                                                       m.characteristicIds(), m.ruleIds());
                    escalations.add(new NotifySettings.EscalationPolicy(
                            escalations.size(), criticalViolations,
                            List.of(new NotifySettings.Step(after, route.receivers())), repeat, max - 1));
                }
            }
        }
    }

    /** Whether a route takes CRITICAL violations: those get reminders. */
    private static boolean remindable(EventMatcher m) {
        boolean violations = m.types().isEmpty() || m.types().stream().anyMatch(p -> p.matches("violation"));
        return violations && (m.minSeverity() == null || Severity.CRITICAL.atLeast(m.minSeverity()));
    }
}
