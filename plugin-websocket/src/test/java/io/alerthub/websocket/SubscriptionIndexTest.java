package io.alerthub.websocket;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.alerthub.core.event.EventDraft;
import io.alerthub.spi.Event;
import io.alerthub.spi.SubscriptionPattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The index agrees with the patterns' own matching, and its cost follows the matches, not the connections. */
class SubscriptionIndexTest {

    private static final Set<String> BROADCAST = Set.of("ack_update");

    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            {"characteristic_ids":[7]}         | violation | 7  | line:7     | true
            {"characteristic_ids":["7"]}       | violation | 7  |            | true
            {"characteristic_ids":[8]}         | violation | 7  | line:7     | false
            {"topics":["line:*"]}              | sample    |    | line:7     | true
            {"topics":["line:*"]}              | sample    |    | lines:7    | false
            {"topics":["line:7.*"]}            | sample    |    | line:7.a.b | true
            {"topics":["line:7.*"]}            | sample    |    | line:7     | false
            {"topics":["line:7.a.*"]}          | sample    |    | line:7.a.b | true
            {"topics":["*"]}                   | sample    |    | line:7     | true
            {"topics":["*"]}                   | sample    |    |            | false
            {"events":["alert.*"]}             | alert.x.y |    |            | true
            {"events":["alert.*"]}             | alert     |    |            | false
            {"events":["alert.x.*"]}           | alert.x.y |    |            | true
            {"events":["*"]}                   | anything  |    |            | true
            {"events":["violation"]}           | sample    | 7  |            | false
            {}                                 | ack_update|    |            | true
            """)
    void theIndexMatchesLikeThePatterns(String subscription, String type, String characteristic, String topic,
                                        boolean expected) throws Exception {
        Subscription s = SubscriptionRequest.fromMessage(Messages.MAPPER.readTree(subscription));
        SubscriptionIndex<String> index = new SubscriptionIndex<>(BROADCAST);
        SubscriptionIndex.Entry<String> entry = new SubscriptionIndex.Entry<>("c");
        index.add(entry);
        index.update(entry, s.keys());
        Event event = event(type, characteristic, topic);
        List<String> reached = new ArrayList<>();
        index.match(event, reached::add);
        assertEquals(expected, !reached.isEmpty(), "index");
        assertEquals(expected, BROADCAST.contains(type) || s.matches(event), "Subscription.matches");
    }

    @Test
    void routingCostFollowsTheMatchesNotTheConnections() {
        SubscriptionIndex<Integer> index = new SubscriptionIndex<>(BROADCAST);
        for (int i = 0; i < 10_000; i++) {
            SubscriptionIndex.Entry<Integer> e = new SubscriptionIndex.Entry<>(i);
            index.add(e);
            Subscription s = new Subscription(Map.of(Integer.toString(i % 1000), true),
                                              Map.of("line:" + i, SubscriptionPattern.topic("line:" + i)),
                                              Map.of("custom." + i + ".*",
                                                     SubscriptionPattern.event("custom." + i + ".*")));
            index.update(e, s.keys());
        }
        List<Integer> reached = new ArrayList<>();
        assertEquals(10, index.match(event("sample", "42", null), reached::add));
        assertEquals(10, index.lastVisited(), "only the subscribers of characteristic:42 are looked at");
        assertTrue(reached.stream().allMatch(i -> i % 1000 == 42));

        assertEquals(0, index.match(event("sample", "5000", "project:1"), x -> { }));
        assertEquals(0, index.lastVisited());

        assertEquals(1, index.match(event("custom.77.created", null, null), x -> { }));
        assertEquals(1, index.lastVisited());

        assertEquals(10_000, index.match(event("ack_update", null, null), x -> { }), "broadcast reaches everyone");
    }

    @Test
    void overlappingSubscriptionsReachAConnectionOnceAndRemovalCleansUp() throws Exception {
        SubscriptionIndex<String> index = new SubscriptionIndex<>(BROADCAST);
        SubscriptionIndex.Entry<String> e = new SubscriptionIndex.Entry<>("c");
        index.add(e);
        Subscription s = SubscriptionRequest.fromMessage(Messages.MAPPER.readTree(
                "{\"characteristic_ids\":[7],\"topics\":[\"characteristic:7\",\"characteristic:*\",\"*\"],"
                        + "\"events\":[\"violation\",\"*\"]}"));
        index.update(e, s.keys());
        List<String> reached = new ArrayList<>();
        index.match(event("violation", "7", "line:7"), reached::add);
        assertEquals(List.of("c"), reached);

        Subscription less = s.minus(SubscriptionRequest.fromMessage(Messages.MAPPER.readTree(
                "{\"topics\":[\"characteristic:*\",\"*\"],\"events\":[\"*\"]}")));
        index.update(e, less.keys());
        assertEquals(Set.of("topic characteristic:7", "type violation"), index.keysInUse());
        index.remove(e);
        assertEquals(Set.of(), index.keysInUse());
        assertEquals(0, index.size());
    }

    private static Event event(String type, String characteristic, String topic) {
        EventDraft.Builder b = EventDraft.builder(type);
        if (characteristic != null) {
            b.characteristicId(characteristic);
        }
        if (topic != null) {
            b.topic(topic);
        }
        JsonNode payload = Messages.MAPPER.createObjectNode();
        return b.payload(payload).build(1);
    }
}
