package io.alerthub.websocket;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.alerthub.core.event.EventDraft;
import io.alerthub.spi.Event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The subscription index against a reference model written from the protocol's words (PROTOCOL section 3), and the
 * dialects' client messages against generated input (jqwik). Tries: {@code jqwik.tries.default}.
 */
@Tag("fuzz")
class SubscriptionProperties {

    private static final Set<String> BROADCAST = Set.of("ack_update");
    private static final List<String> TOPIC_PATTERNS = List.of("line:1", "line:2", "line:1.a", "line:*", "line:1.*",
                                                               "project:*", "*", "characteristic:3",
                                                               "characteristic:*", "project:9");
    private static final List<String> EVENT_PATTERNS = List.of("sample", "violation", "alert.*", "alert.created", "*",
                                                               "ack_update", "alert.x.*");

    /** A subscribe or unsubscribe of one client. */
    record Change(int client, boolean subscribe, List<String> ids, List<String> topics, List<String> events) {
    }

    record Published(String type, String characteristic, String topic) {
    }

    @Provide
    Arbitrary<List<Change>> changes() {
        Arbitrary<Change> change = Combinators.combine(
                Arbitraries.integers().between(0, 7), Arbitraries.of(true, true, false),
                Arbitraries.of("1", "2", "3", "4").list().ofMaxSize(2),
                Arbitraries.of(TOPIC_PATTERNS).list().ofMaxSize(3),
                Arbitraries.of(EVENT_PATTERNS).list().ofMaxSize(2)).as(Change::new);
        return change.list().ofMinSize(1).ofMaxSize(25);
    }

    @Provide
    Arbitrary<List<Published>> events() {
        return Combinators.combine(Arbitraries.of("sample", "violation", "alert.created", "alert.x.y", "alert",
                                                  "ack_update", "custom.thing"),
                                   Arbitraries.of("1", "2", "3", "4", "9").injectNull(0.3),
                                   Arbitraries.of("line:1", "line:1.a", "line:12", "line:2", "project:9", "project:10")
                                           .injectNull(0.4))
                .as(Published::new).list().ofMinSize(1).ofMaxSize(20);
    }

    @Property
    void theIndexReachesExactlyTheClientsTheModelSays(@ForAll("changes") List<Change> changes,
                                                     @ForAll("events") List<Published> published) throws Exception {
        SubscriptionIndex<Integer> index = new SubscriptionIndex<>(BROADCAST);
        List<SubscriptionIndex.Entry<Integer>> entries = new ArrayList<>();
        List<Subscription> subscriptions = new ArrayList<>();
        List<Model> models = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            SubscriptionIndex.Entry<Integer> e = new SubscriptionIndex.Entry<>(i);
            index.add(e);
            entries.add(e);
            subscriptions.add(Subscription.EMPTY);
            models.add(new Model());
        }
        for (Change c : changes) {
            Subscription delta = SubscriptionRequest.fromMessage(message(c));
            Subscription next = c.subscribe() ? subscriptions.get(c.client()).plus(delta)
                    : subscriptions.get(c.client()).minus(delta);
            subscriptions.set(c.client(), next);
            index.update(entries.get(c.client()), next.keys());
            models.get(c.client()).apply(c);
        }
        for (Published p : published) {
            Event event = event(p);
            List<Integer> reached = new ArrayList<>();
            index.match(event, reached::add);
            Set<Integer> expected = new HashSet<>();
            for (int i = 0; i < models.size(); i++) {
                if (BROADCAST.contains(p.type()) || models.get(i).matches(event)) {
                    expected.add(i);
                }
            }
            assertEquals(expected, new HashSet<>(reached), "who gets " + p);
            assertEquals(reached.size(), new HashSet<>(reached).size(), "each client once: " + reached);
        }
    }

    /** Any JSON a client may send as a subscription: a subscription, or a ClientError (an error message), never a crash. */
    @Property
    void anySubscribeMessageIsASubscriptionOrAClientError(@ForAll("messages") JsonNode message) {
        try {
            SubscriptionRequest.fromMessage(message);
        } catch (ClientError expected) {
            // answered with {"type":"error",...}; the connection stays open
        }
        try {
            SubscriptionRequest.characteristicIds(message.get("characteristic_ids"), "characteristic_ids");
        } catch (ClientError expected) {
            // likewise for OpenSPC's subscribe
        }
    }

    @Provide
    Arbitrary<JsonNode> messages() {
        Arbitrary<Object> value = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(70).map(s -> (Object) s),
                Arbitraries.of(TOPIC_PATTERNS).map(s -> (Object) s),
                Arbitraries.of(EVENT_PATTERNS).map(s -> (Object) s),
                Arbitraries.longs().map(n -> (Object) n),
                Arbitraries.of((Object) "1e400", 1.5, -0.0, Long.MAX_VALUE, "", "*", "**", "a:*b", ":", "9".repeat(30)),
                Arbitraries.of((Object) true, false));
        Arbitrary<Object> field = Arbitraries.oneOf(value, value.list().ofMaxSize(5).map(l -> (Object) l),
                                                    Arbitraries.just((Object) new java.util.HashMap<String, Object>()));
        return Combinators.combine(field.injectNull(0.3), field.injectNull(0.3), field.injectNull(0.3))
                .as((ids, topics, events) -> {
                    ObjectNode m = Messages.MAPPER.createObjectNode();
                    m.put("type", "subscribe");
                    if (ids != null) {
                        m.set("characteristic_ids", Messages.MAPPER.valueToTree(ids));
                    }
                    if (topics != null) {
                        m.set("topics", Messages.MAPPER.valueToTree(topics));
                    }
                    if (events != null) {
                        m.set("events", Messages.MAPPER.valueToTree(events));
                    }
                    return m;
                });
    }

    private static JsonNode message(Change c) {
        ObjectNode m = Messages.MAPPER.createObjectNode();
        m.put("type", c.subscribe() ? "subscribe" : "unsubscribe");
        c.ids().forEach(id -> m.withArray("characteristic_ids").add(Integer.parseInt(id)));
        c.topics().forEach(t -> m.withArray("topics").add(t));
        c.events().forEach(e -> m.withArray("events").add(e));
        return m;
    }

    private static Event event(Published p) {
        EventDraft.Builder b = EventDraft.builder(p.type());
        if (p.characteristic() != null) {
            b.characteristicId(p.characteristic());
        }
        if (p.topic() != null) {
            b.topic(p.topic());
        }
        return b.payload(Messages.MAPPER.createObjectNode()).build(1);
    }

    /** The protocol's words, literally: sets of ids and patterns, matched by prefix. */
    static final class Model {
        private final Set<String> ids = new HashSet<>();
        private final Set<String> topics = new HashSet<>();
        private final Set<String> events = new HashSet<>();

        void apply(Change c) {
            if (c.subscribe()) {
                ids.addAll(c.ids());
                topics.addAll(c.topics());
                events.addAll(c.events());
            } else {
                ids.removeAll(c.ids());
                topics.removeAll(c.topics());
                events.removeAll(c.events());
            }
        }

        boolean matches(Event e) {
            for (String topic : e.topics()) {
                if (topic.startsWith("characteristic:") && ids.contains(topic.substring("characteristic:".length()))) {
                    return true;
                }
                for (String p : topics) {
                    if (matches(p, topic)) {
                        return true;
                    }
                }
            }
            for (String p : events) {
                if (matches(p, e.type())) {
                    return true;
                }
            }
            return false;
        }

        /** "*" alone matches everything; "x*" matches what starts with x and goes on; anything else matches itself. */
        static boolean matches(String pattern, String value) {
            if (pattern.equals("*")) {
                return true;
            }
            if (pattern.endsWith("*")) {
                String prefix = pattern.substring(0, pattern.length() - 1);
                return value.startsWith(prefix) && value.length() > prefix.length();
            }
            return pattern.equals(value);
        }
    }
}
