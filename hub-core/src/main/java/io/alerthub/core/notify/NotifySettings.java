package io.alerthub.core.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.alerthub.spi.ConfigException;
import io.alerthub.spi.ConfigNode;
import io.alerthub.spi.SubscriptionPattern;

/**
 * {@code notify}: the notification policy shared by every human channel — receivers, routes, inhibition rules,
 * escalation policies — read and checked once at start. Without {@code notify.routes}, an enabled email plugin's
 * own keys ({@code plugins.email.to}, {@code filter} or {@code rules}, {@code group-window}, {@code rate-limit},
 * {@code reminder}) are the shorthand for the same ({@link LegacyEmail}).
 *
 * @param receivers   by name
 * @param routes      in order; the first match wins unless it says {@code continue}
 * @param escalations in order; the first match wins
 * @param inhibit     inhibition rules
 * @param alarmTypes  event types that open an alarm ({@code violation}, and e.g. {@code line_down} for inhibition)
 */
public record NotifySettings(Map<String, Receiver> receivers, List<Route> routes, List<EscalationPolicy> escalations,
                             List<InhibitRule> inhibit, Set<String> alarmTypes) {

    static final Duration DEFAULT_GROUP_WINDOW = Duration.ofSeconds(30);
    static final int DEFAULT_DIGEST_SIZE = 50;
    static final RateLimit DEFAULT_RATE_LIMIT = new RateLimit(10, Duration.ofMinutes(10));
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern TOPIC_NAME = Pattern.compile("[a-z0-9_]+");

    public NotifySettings {
        receivers = Map.copyOf(receivers);
        routes = List.copyOf(routes);
        escalations = List.copyOf(escalations);
        inhibit = List.copyOf(inhibit);
        alarmTypes = Set.copyOf(alarmTypes);
    }

    /**
     * A receiver: a name, the channel (a plugin that sends notifications) and where on it. The address is read by
     * the channel's plugin at start ({@code NotificationSender.address(node, key)}).
     *
     * @param name    its name
     * @param channel the plugin ({@code email}, {@code webhook})
     * @param node    the section holding the address
     * @param key     the address's key in it
     */
    public record Receiver(String name, String channel, ConfigNode node, String key) {
    }

    /**
     * At most {@code notifications} per {@code per} (sliding) to one receiver of one route.
     *
     * @param notifications the most notifications
     * @param per           the period
     */
    public record RateLimit(int notifications, Duration per) {
    }

    /**
     * A route.
     *
     * @param index       its position, for state keys and logs
     * @param match       which events
     * @param receivers   who gets them
     * @param groupWindow how long a receiver's first event waits for others to join it in a digest (0: at once)
     * @param digestSize  how many events a digest lists one by one (the rest are counted)
     * @param rateLimit   the most notifications per receiver
     * @param continueMatching whether later routes are tried too
     */
    public record Route(int index, EventMatcher match, List<String> receivers, Duration groupWindow, int digestSize,
                        RateLimit rateLimit, boolean continueMatching) {
        public Route {
            receivers = List.copyOf(receivers);
        }
    }

    /**
     * A step of an escalation.
     *
     * @param after     how long after the alarm opened
     * @param receivers who gets it
     */
    public record Step(Duration after, List<String> receivers) {
        public Step {
            receivers = List.copyOf(receivers);
        }
    }

    /**
     * An escalation policy: steps for alarms nobody acknowledged or cleared.
     *
     * @param index       its position
     * @param match       which alarms, by the event that opened them
     * @param steps       in order of {@code after}
     * @param repeat      re-send the last step this often until ack or clear; {@code null} for never
     * @param repeatLimit the most repeats ({@link Integer#MAX_VALUE} for no limit)
     */
    public record EscalationPolicy(int index, EventMatcher match, List<Step> steps, Duration repeat, int repeatLimit) {
        public EscalationPolicy {
            steps = List.copyOf(steps);
        }
    }

    /**
     * An inhibition rule: an ACTIVE alarm matching {@code source} suppresses the events matching {@code target} that
     * share with it the value of each topic named in {@code equal} ({@code line} → both on {@code line:7}).
     *
     * @param source what inhibits (an alarm, by the event that opened it)
     * @param target what is inhibited
     * @param equal  topic names whose values must be the same
     */
    public record InhibitRule(EventMatcher source, EventMatcher target, List<String> equal) {
        public InhibitRule {
            equal = List.copyOf(equal);
        }
    }

    /** Whether nothing would ever be notified. */
    public boolean isEmpty() {
        return routes.isEmpty() && escalations.isEmpty();
    }

    /**
     * Reads {@code notify} (and, without routes, the email plugin's shorthand) from the whole configuration.
     *
     * @param root the configuration's root
     * @throws ConfigException naming the key that is wrong
     */
    public static NotifySettings create(ConfigNode root) {
        ConfigNode c = root.child("notify");
        Set<String> alarmTypes = new LinkedHashSet<>();
        for (String t : c.strings("alarm-types", List.of("violation"))) {
            if (!SubscriptionPattern.TYPE.matcher(t).matches()) {
                throw c.error("alarm-types", "'" + t + "' is not an event type");
            }
            alarmTypes.add(t);
        }
        Map<String, Receiver> receivers = receivers(c.child("receivers"));
        boolean own = c.exists("routes") || c.exists("escalations") || !receivers.isEmpty();
        LegacyEmail legacy = LegacyEmail.read(root.child("plugins").child("email"), own);
        List<Route> routes = new ArrayList<>();
        List<EscalationPolicy> escalations = new ArrayList<>();
        if (legacy.applies()) {
            receivers = new LinkedHashMap<>(receivers);
            legacy.addTo(receivers, routes, escalations);
        }
        List<ConfigNode> routeNodes = c.sections("routes");
        for (int i = 0; i < routeNodes.size(); i++) {
            routes.add(route(routeNodes.get(i), routes.size(), receivers));
        }
        List<ConfigNode> escalationNodes = c.sections("escalations");
        for (int i = 0; i < escalationNodes.size(); i++) {
            escalations.add(escalation(escalationNodes.get(i), escalations.size(), receivers));
        }
        List<InhibitRule> inhibit = new ArrayList<>();
        for (ConfigNode r : c.sections("inhibit")) {
            inhibit.add(inhibitRule(r));
        }
        return new NotifySettings(receivers, routes, escalations, inhibit, alarmTypes);
    }

    private static Map<String, Receiver> receivers(ConfigNode c) {
        Map<String, Receiver> out = new LinkedHashMap<>();
        for (String name : c.keys()) {
            if (!NAME.matcher(name).matches()) {
                throw c.error(name, "a receiver's name is 1 to 64 characters A-Z a-z 0-9 _ -");
            }
            ConfigNode r = c.child(name);
            List<String> channels = r.keys();
            if (channels.size() != 1) {
                throw r.error("a receiver names exactly one channel and its address: { email: { to: [..] } }"
                        + " or { webhook: <target> }");
            }
            out.put(name, new Receiver(name, channels.getFirst(), r, channels.getFirst()));
        }
        return out;
    }

    static Route route(ConfigNode c, int index, Map<String, Receiver> receivers) {
        EventMatcher match = match(c, "match");
        List<String> to = references(c, "receivers", receivers);
        ConfigNode limit = c.child("rate-limit");
        RateLimit rate = new RateLimit(limit.integer("notifications", DEFAULT_RATE_LIMIT.notifications(), 1, 1_000_000),
                                       limit.positiveDuration("per", DEFAULT_RATE_LIMIT.per()));
        return new Route(index, match, to, c.duration("group-window", DEFAULT_GROUP_WINDOW),
                         c.integer("digest-size", DEFAULT_DIGEST_SIZE, 1, 1000), rate, c.bool("continue", false));
    }

    private static EscalationPolicy escalation(ConfigNode c, int index, Map<String, Receiver> receivers) {
        EventMatcher match = match(c, "match");
        List<ConfigNode> stepNodes = c.sections("steps");
        if (stepNodes.isEmpty()) {
            throw c.error("steps", "is required: at least one { after: PT15M, receivers: [..] }");
        }
        List<Step> steps = new ArrayList<>();
        Duration previous = Duration.ZERO;
        for (ConfigNode s : stepNodes) {
            if (!s.exists("after")) {
                throw s.error("after", "is required: how long after the alarm opened (PT15M)");
            }
            Duration after = s.duration("after", Duration.ZERO);
            if (!steps.isEmpty() && after.compareTo(previous) <= 0) {
                throw s.error("after", "must be later than the step before (" + previous + ")");
            }
            previous = after;
            steps.add(new Step(after, references(s, "receivers", receivers)));
        }
        Duration repeat = c.exists("repeat") ? c.positiveDuration("repeat", Duration.ZERO) : null;
        int limit = c.integer("repeat-limit", Integer.MAX_VALUE, 0, Integer.MAX_VALUE);
        if (repeat == null && c.exists("repeat-limit")) {
            throw c.error("repeat-limit", "needs repeat");
        }
        return new EscalationPolicy(index, match, steps, repeat, limit);
    }

    /** {@code match}: what it says (anything it leaves out matches all); CRITICAL violations when it is left out. */
    private static EventMatcher match(ConfigNode c, String key) {
        if (!c.exists(key)) {
            c.accept(key);
            return EventMatcher.CRITICAL_VIOLATIONS;
        }
        return EventMatcher.fromConfig(c.child(key), List.of(), null);
    }

    private static InhibitRule inhibitRule(ConfigNode c) {
        if (!c.exists("source") || !c.exists("target")) {
            throw c.error("an inhibition rule has source, target and equal: { source: { type: line_down },"
                    + " target: { type: violation }, equal: [line] }");
        }
        EventMatcher source = EventMatcher.fromConfig(c.child("source"), List.of(), null);
        EventMatcher target = EventMatcher.fromConfig(c.child("target"), List.of(), null);
        List<String> equal = c.strings("equal", List.of());
        for (String name : equal) {
            if (!TOPIC_NAME.matcher(name).matches()) {
                throw c.error("equal", "'" + name + "' is not a topic name (line, characteristic, project)");
            }
        }
        return new InhibitRule(source, target, equal);
    }

    /**
     * Receiver references: a name of {@code notify.receivers} ({@code quality}), or the same qualified by its channel
     * ({@code email:quality}, {@code webhook:teams}).
     */
    static List<String> references(ConfigNode c, String key, Map<String, Receiver> receivers) {
        List<String> names = c.strings(key, List.of());
        if (names.isEmpty()) {
            throw c.error(key, "is required: at least one receiver of notify.receivers");
        }
        List<String> out = new ArrayList<>();
        for (String ref : names) {
            String name = ref;
            String channel = null;
            int colon = ref.indexOf(':');
            if (colon > 0) {
                channel = ref.substring(0, colon);
                name = ref.substring(colon + 1);
            }
            Receiver r = receivers.get(name);
            if (r == null) {
                throw c.error(key, "no receiver named '" + name + "' in notify.receivers (known: "
                        + String.join(", ", receivers.keySet()) + ")");
            }
            if (channel != null && !channel.equals(r.channel())) {
                throw c.error(key, "receiver '" + name + "' is on channel " + r.channel() + ", not " + channel);
            }
            if (!out.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }
}
