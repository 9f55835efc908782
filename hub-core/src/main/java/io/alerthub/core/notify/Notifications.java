package io.alerthub.core.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.alerthub.core.alarm.Alarms;
import io.alerthub.core.config.DispatchSettings;
import io.alerthub.core.dispatch.Dispatcher;
import io.alerthub.core.dispatch.RetryLoop;
import io.alerthub.core.event.IngestGate;
import io.alerthub.core.log.EventLog;
import io.alerthub.core.state.StateFile;
import io.alerthub.spi.ConfigException;
import io.alerthub.spi.Event;
import io.alerthub.spi.Health;
import io.alerthub.spi.NotificationSender;
import io.alerthub.spi.Notifier;

import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The notification policy at work, as one unit with one cursor and one state folder ({@code hub.data-dir/notify}),
 * started and stopped as a whole — so that cluster mode can later run it on one instance at a time, like a lane
 * with side effects.
 *
 * <ul>
 *   <li>A virtual thread reads the event log from the policy's own cursor and hands every event, in order, to the
 *       {@link NotificationPolicy}; between events it ticks the policy's clock (group windows, rate limits,
 *       escalation steps).</li>
 *   <li>What the policy decides is made durable before anything is sent: the state file ({@code state.json}: the
 *       cursor, open groups, rate windows, escalations, the outbox) is written whenever a notification or an
 *       escalation step was decided, and at least every second while the cursor moves. A {@code kill -9} loses no
 *       decided notification, and an escalation step fires exactly once: the state that says it fired is the state
 *       that holds its notification.</li>
 *   <li>Each receiver has a {@link ReceiverDelivery}: the hub's one retry loop and breaker, feeding the channel's
 *       {@link NotificationSender}; a notification stays in the {@link Outbox} until the sender took it or refused it
 *       for good.</li>
 * </ul>
 */
public final class Notifications implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Notifications.class.getName());
    private static final int BATCH = 256;
    private static final long SAVE_EVERY_MILLIS = 1_000;
    private static final long MAX_WAIT_MILLIS = 1_000;
    /** How many opening events an escalation lists one by one. */
    private static final int ESCALATION_EVENTS = 50;
    private static final Duration DELIVERY_GRACE = Duration.ofSeconds(5);

    private final EventLog log;
    private final NotifySettings settings;
    private final NotificationPolicy policy;
    private final Outbox outbox;
    private final StateFile state;
    private final Alarms alarms;
    private final Silences silences;
    private final Clock clock;
    private final Map<String, ReceiverDelivery> deliveries;
    private final Map<String, String> disabledReceivers;
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong undeliverable = new AtomicLong();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final List<Meter> meters = new CopyOnWriteArrayList<>();
    /** Told every state document once it is on disk (cluster mode keeps it in the engine too). */
    private final Consumer<JsonNode> saved;

    private volatile long cursor;
    private volatile Snapshot view = Snapshot.EMPTY;
    private volatile boolean stopping;
    private volatile long drainTarget = Long.MAX_VALUE;
    private volatile Throwable died;
    private Thread consumer;

    /** Figures other threads may read, refreshed by the consumer after each round. */
    private record Snapshot(int openGroups, long eventsInGroups, int escalations, int openAlarms, long routed,
                            long silenced, long inhibited, long notifications, long escalationSteps) {
        static final Snapshot EMPTY = new Snapshot(0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    private Notifications(EventLog log, NotifySettings settings, NotificationPolicy policy, Outbox outbox,
                          StateFile state, Alarms alarms, Silences silences, Clock clock,
                          Map<String, ReceiverDelivery> deliveries, Map<String, String> disabledReceivers,
                          Consumer<JsonNode> saved) {
        this.saved = saved;
        this.log = log;
        this.settings = settings;
        this.policy = policy;
        this.outbox = outbox;
        this.state = state;
        this.alarms = alarms;
        this.silences = silences;
        this.clock = clock;
        this.deliveries = deliveries;
        this.disabledReceivers = disabledReceivers;
    }

    /**
     * Resolves the receivers' addresses with their channels' plugins, and restores the state.
     *
     * @param senders   the installed plugins that send notifications, enabled or not, by name
     * @param enabled   which of them run
     * @param installed every installed plugin's name
     * @throws ConfigException naming the receiver whose channel or address is wrong
     */
    public static Notifications open(NotifySettings settings, Map<String, Notifier> senders, Set<String> enabled,
                                     Set<String> installed, EventLog log, Silences silences, Alarms alarms, Path dir,
                                     DispatchSettings dispatch, MeterRegistry metrics, Clock clock) {
        return open(settings, senders, enabled, installed, log, silences, alarms, dir, dispatch, metrics, clock,
                    doc -> { });
    }

    /**
     * {@link #open(NotifySettings, Map, Set, Set, EventLog, Silences, Alarms, Path, DispatchSettings, MeterRegistry,
     * Clock)}, telling {@code saved} each state document once it is on disk: cluster mode keeps it in the engine as
     * well, so that the instance that takes the policy over goes on from it.
     */
    public static Notifications open(NotifySettings settings, Map<String, Notifier> senders, Set<String> enabled,
                                     Set<String> installed, EventLog log, Silences silences, Alarms alarms, Path dir,
                                     DispatchSettings dispatch, MeterRegistry metrics, Clock clock,
                                     Consumer<JsonNode> saved) {
        NotificationPolicy policy = new NotificationPolicy(settings, silences);
        Outbox outbox = new Outbox(dir.resolve("delivered.log"));
        Map<String, ReceiverDelivery> deliveries = new LinkedHashMap<>();
        Map<String, String> disabled = new LinkedHashMap<>();
        Notifications[] self = new Notifications[1];
        for (NotifySettings.Receiver r : settings.receivers().values()) {
            Notifier plugin = senders.get(r.channel());
            if (plugin == null) {
                throw r.node().error(r.key(), installed.contains(r.channel())
                        ? "plugin " + r.channel() + " does not send notifications (human channels: "
                                + String.join(", ", senders.keySet()) + ")"
                        : "no plugin named " + r.channel() + " is installed (installed: " + String.join(", ", installed)
                                + ")");
            }
            String address = ((NotificationSender) plugin).address(r.node(), r.key());
            if (!enabled.contains(r.channel())) {
                disabled.put(r.name(), r.channel());
                continue;
            }
            deliveries.put(r.name(), new ReceiverDelivery(r.name(), r.channel(), address, plugin, dispatch,
                                                          (o, sent) -> self[0].settled(o, sent)));
        }
        Notifications n = new Notifications(log, settings, policy, outbox, new StateFile(dir.resolve("state.json")),
                                             alarms, silences, clock, deliveries, disabled, saved);
        self[0] = n;
        n.restore();
        n.registerMeters(metrics, senders.keySet());
        if (!disabled.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "notify: receivers " + disabled + " are on channels that are not"
                    + " enabled; notifications for them are dropped (counted as undeliverable)");
        }
        return n;
    }

    private void restore() {
        Optional<JsonNode> doc;
        try {
            doc = state.read();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the notification policy's state: " + e.getMessage(), e);
        }
        long head = log.headSeq();
        if (doc.isEmpty() || doc.get().path("cursor").asLong() > head) {
            if (doc.isPresent()) {
                LOG.log(System.Logger.Level.WARNING, "notify: the state " + state.path() + " is of seq "
                        + doc.get().path("cursor").asLong() + " but the event log ends at " + head
                        + " (a new event log?); starting afresh at the head");
            }
            cursor = head;
            return;
        }
        JsonNode d = doc.get();
        cursor = d.path("cursor").asLong();
        policy.restore(d.path("policy"));
        List<Outgoing> saved = new ArrayList<>();
        d.path("outbox").forEach(o -> saved.add(Outgoing.fromJson(o)));
        try {
            outbox.restore(saved);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the outbox journal: " + e.getMessage(), e);
        }
    }

    /** Starts the receivers' deliveries (with what the outbox kept) and the policy's thread. */
    public void start() {
        for (Outgoing o : outbox.all()) {
            route(o);
        }
        deliveries.values().forEach(ReceiverDelivery::start);
        consumer = Thread.ofVirtual().name("notify").start(this::run);
        LOG.log(System.Logger.Level.INFO, "notify: " + settings.routes().size() + " route(s), "
                + settings.escalations().size() + " escalation polic(ies), " + settings.inhibit().size()
                + " inhibition rule(s), receivers " + deliveries.keySet() + "; from seq " + (cursor + 1)
                + (outbox.size() == 0 ? "" : ", " + outbox.size() + " notification(s) pending"));
    }

    private void run() {
        long lastSave = System.nanoTime();
        long savedCursor = cursor;
        try {
            while (!(stopping && cursor >= drainTarget)) {
                List<Event> batch = log.read(cursor, BATCH);
                long now = clock.millis();
                List<NotificationPolicy.Effect> effects = new ArrayList<>();
                if (!batch.isEmpty()) {
                    countSkipped(batch.getFirst().seq());
                    for (Event e : batch) {
                        policy.onEvent(e, now, effects::add);
                        cursor = e.seq();
                    }
                }
                policy.tick(now, effects::add);
                if (!effects.isEmpty()) {
                    act(effects);
                    savedCursor = cursor;
                    lastSave = System.nanoTime();
                } else if (cursor != savedCursor && System.nanoTime() - lastSave > SAVE_EVERY_MILLIS * 1_000_000) {
                    save();
                    savedCursor = cursor;
                    lastSave = System.nanoTime();
                }
                publish();
                if (batch.isEmpty()) {
                    if (stopping) {
                        break;
                    }
                    long next = policy.nextDue();
                    long wait = Math.max(1, Math.min(MAX_WAIT_MILLIS, next == Long.MAX_VALUE ? MAX_WAIT_MILLIS
                            : next - clock.millis()));
                    log.awaitAfter(cursor, Duration.ofMillis(wait));
                }
            }
            save();
        } catch (InterruptedException e) {
            save();
        } catch (Throwable t) {
            died = t;
            LOG.log(System.Logger.Level.ERROR, "notify: the notification policy stopped", t);
        }
    }

    private void countSkipped(long first) {
        long gone = first - cursor - 1 - (first > cursor + 1 ? log.unassigned(cursor, first) : 0);
        if (gone > 0) {
            skipped.addAndGet(gone);
            LOG.log(System.Logger.Level.WARNING, "notify: skipped " + gone + " events (seq " + (cursor + 1) + ".."
                    + (first - 1) + ") that retention removed before the policy read them");
        }
    }

    /** Makes the decisions durable, then hands the notifications to their receivers and records escalations. */
    private void act(List<NotificationPolicy.Effect> effects) {
        List<Outgoing> created = new ArrayList<>();
        List<NotificationPolicy.Escalated> escalated = new ArrayList<>();
        for (NotificationPolicy.Effect effect : effects) {
            switch (effect) {
                case NotificationPolicy.Created c -> {
                    Outgoing o = c.notification().kind() == io.alerthub.spi.Notification.Kind.ESCALATION
                            ? withOpeningEvents(c.notification())
                            : c.notification();
                    if (outbox.add(o)) {
                        created.add(o);
                    }
                }
                case NotificationPolicy.Escalated e -> escalated.add(e);
            }
        }
        save();
        for (Outgoing o : created) {
            route(o);
        }
        if (!escalated.isEmpty()) {
            List<Alarms.Escalation> steps = new ArrayList<>(escalated.size());
            escalated.forEach(e -> steps.add(new Alarms.Escalation(e.violationId(), e.openedSeq(), e.step())));
            try {
                alarms.escalated(steps);
            } catch (IngestGate.RefusedException x) {
                // stopping: the alarms' escalation_step stays behind; the notifications are decided and kept
                LOG.log(System.Logger.Level.DEBUG, "notify: " + steps.size() + " escalation step(s) not recorded on"
                        + " the alarms: " + x.getMessage());
            }
        }
    }

    /** An escalation lists the events that opened its alarms, as long as the log holds them. */
    private Outgoing withOpeningEvents(Outgoing o) {
        List<Held> events = new ArrayList<>();
        DigestCounts counts = new DigestCounts();
        for (AlarmFacts a : o.alarms()) {
            List<Event> read = log.read(a.openedSeq() - 1, 1);
            if (!read.isEmpty() && read.getFirst().seq() == a.openedSeq()) {
                counts.add(read.getFirst());
                if (events.size() < ESCALATION_EVENTS) {
                    events.add(Held.of(read.getFirst()));
                }
            }
        }
        return new Outgoing(o.id(), o.kind(), o.receiver(), o.createdAt(), events, counts, o.alarms(), o.step(),
                            o.repeat());
    }

    private void route(Outgoing o) {
        ReceiverDelivery d = deliveries.get(o.receiver());
        if (d != null) {
            d.offer(o);
            return;
        }
        String channel = disabledReceivers.get(o.receiver());
        if (warned.add(o.receiver())) {
            LOG.log(System.Logger.Level.WARNING, "notify: receiver " + o.receiver() + (channel == null
                    ? " is no longer configured" : " is on channel " + channel + ", which is not enabled")
                    + "; its notifications are dropped");
        }
        settled(o, false);
        undeliverable.incrementAndGet();
    }

    /** A receiver is done with a notification: it leaves the outbox, durably. */
    private void settled(Outgoing o, boolean sent) {
        try {
            outbox.settle(o.id());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "notify: cannot record that notification " + o.id() + " was "
                    + (sent ? "sent" : "given up") + ": " + e.getMessage() + " (it may go again after a restart)");
        }
    }

    private void save() {
        Outbox.Capture capture = outbox.capture();
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("cursor", cursor);
        doc.set("policy", policy.toJson());
        ArrayNode pending = doc.putArray("outbox");
        capture.pending().forEach(o -> pending.add(o.toJson()));
        try {
            state.write(doc);
            outbox.captured(capture);
            saved.accept(doc);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the notification policy's state " + state.path() + ": "
                    + e.getMessage(), e);
        }
    }

    private void publish() {
        NotificationPolicy.Counts c = policy.counts();
        view = new Snapshot(policy.openGroups(), policy.eventsInGroups(), policy.escalationsScheduled(),
                            policy.openAlarms(), c.routed, c.silenced, c.inhibited, c.notifications,
                            c.escalationSteps);
    }

    /**
     * Lets the policy read the log up to its current head (or the timeout pass), saves its state, and stops the
     * deliveries after the notification each has in hand.
     */
    public void stop(Duration timeout) {
        drainTarget = log.headSeq();
        stopping = true;
        if (consumer != null) {
            try {
                if (!consumer.join(timeout)) {
                    consumer.interrupt();
                    consumer.join(Duration.ofSeconds(5));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (ReceiverDelivery d : deliveries.values()) {
            d.stop(DELIVERY_GRACE);
        }
        try {
            outbox.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "notify: closing the outbox journal: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    /** How the plugin {@code channel} looks through this feed, for {@code GET /api/v1/plugins} and health. */
    public Dispatcher.Feed feed(String channel) {
        return new Dispatcher.Feed() {
            @Override
            public long cursor() {
                return cursor;
            }

            @Override
            public long delivered() {
                return sum(channel, RetryLoop::delivered);
            }

            @Override
            public long failed() {
                return sum(channel, RetryLoop::failed);
            }

            @Override
            public long retried() {
                return sum(channel, RetryLoop::retried);
            }

            @Override
            public long skipped() {
                return skipped.get();
            }

            @Override
            public String circuit() {
                String worst = "CLOSED";
                for (ReceiverDelivery d : deliveries.values()) {
                    if (d.channel().equals(channel)) {
                        String c = d.loop().circuit();
                        if (c.equals("OPEN") || (c.equals("HALF_OPEN") && worst.equals("CLOSED"))) {
                            worst = c;
                        }
                    }
                }
                return worst;
            }

            @Override
            public Health health() {
                Throwable d = died;
                if (d != null) {
                    return Health.down("the notification policy stopped: " + d);
                }
                Health h = Health.up();
                for (ReceiverDelivery r : deliveries.values()) {
                    if (r.channel().equals(channel)) {
                        Health own = r.loop().health();
                        if (own.state() != Health.State.UP) {
                            own = new Health(own.state(), "receiver " + r.receiver() + ": " + own.reason());
                        }
                        h = h.worst(own);
                    }
                }
                return h;
            }

            @Override
            public Map<String, Object> details() {
                return channelDetails(channel);
            }
        };
    }

    private long sum(String channel, java.util.function.ToLongFunction<RetryLoop> f) {
        long n = 0;
        for (ReceiverDelivery d : deliveries.values()) {
            if (d.channel().equals(channel)) {
                n += f.applyAsLong(d.loop());
            }
        }
        return n;
    }

    private Map<String, Object> channelDetails(String channel) {
        Map<String, long[]> pending = outbox.byReceiver();
        Set<String> receivers = new LinkedHashSet<>();
        long notifications = 0;
        long events = 0;
        for (ReceiverDelivery d : deliveries.values()) {
            if (d.channel().equals(channel)) {
                receivers.add(d.receiver());
                long[] p = pending.get(d.receiver());
                if (p != null) {
                    notifications += p[0];
                    events += p[1];
                }
            }
        }
        Snapshot s = view;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("receivers", List.copyOf(receivers));
        m.put("pending_notifications", notifications);
        m.put("pending_events", events);
        m.put("open_groups", s.openGroups());
        m.put("events_in_groups", s.eventsInGroups());
        m.put("escalations_scheduled", s.escalations());
        m.put("events_silenced", s.silenced());
        m.put("events_inhibited", s.inhibited());
        return m;
    }

    private void registerMeters(MeterRegistry metrics, Set<String> channels) {
        gauge(metrics, "alerthub.notify.pending", "Notifications decided and not yet sent", n -> n.outbox.size());
        gauge(metrics, "alerthub.notify.groups.open", "Groups collecting events for a digest",
              n -> n.view.openGroups());
        gauge(metrics, "alerthub.notify.escalations.scheduled", "Alarms whose escalation is under way",
              n -> n.view.escalations());
        gauge(metrics, "alerthub.notify.lag", "Events accepted and not yet read by the notification policy",
              n -> Math.max(0, n.log.headSeq() - n.cursor));
        counter(metrics, "alerthub.notify.notifications", "Notifications decided (single, digest, escalation)",
                n -> n.view.notifications(), List.of());
        counter(metrics, "alerthub.notify.events.silenced", "Events a silence kept from every human channel",
                n -> n.view.silenced(), List.of());
        counter(metrics, "alerthub.notify.events.inhibited", "Events an inhibition rule kept from every human channel",
                n -> n.view.inhibited(), List.of());
        counter(metrics, "alerthub.notify.escalation.steps", "Escalation steps fired", n -> n.view.escalationSteps(),
                List.of());
        for (String channel : channels) {
            List<Tag> tags = List.of(Tag.create("plugin", channel));
            counter(metrics, "alerthub.plugin.delivered", "Events the plugin delivered",
                    n -> n.sum(channel, RetryLoop::delivered), tags);
            counter(metrics, "alerthub.plugin.failed", "Events the plugin could not deliver",
                    n -> n.sum(channel, RetryLoop::failed), tags);
            counter(metrics, "alerthub.plugin.retried", "Delivery attempts repeated after a failure",
                    n -> n.sum(channel, RetryLoop::retried), tags);
        }
    }

    private void gauge(MeterRegistry metrics, String name, String description,
                       java.util.function.ToDoubleFunction<Notifications> value) {
        meters.add(metrics.getOrCreate(Gauge.builder(name, this, value).description(description)));
    }

    private void counter(MeterRegistry metrics, String name, String description,
                         java.util.function.ToLongFunction<Notifications> value, List<Tag> tags) {
        meters.add(metrics.getOrCreate(FunctionalCounter.builder(name, this, n -> value.applyAsLong(n))
                                               .description(description).tags(tags)));
    }

    /**
     * Takes this policy's meters out of {@code metrics}: cluster mode makes a policy again on the instance that takes
     * it over, whose meters must be its own, not those of one made earlier.
     */
    public void unregisterMeters(MeterRegistry metrics) {
        meters.forEach(metrics::remove);
        meters.clear();
    }
}
