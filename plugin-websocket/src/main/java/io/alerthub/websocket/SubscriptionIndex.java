package io.alerthub.websocket;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import io.alerthub.spi.Event;

/**
 * Answers "who gets this event" by looking up the event's topics, its type and their prefixes, so the cost of
 * routing an event grows with the subscribers it reaches and the length of its topics, never with connections
 * that do not match. Every connection is also on the broadcast list, for broadcast types.
 *
 * <p>Not thread-safe: the {@link Router} guards it with one lock.
 *
 * @param <T> what a subscriber is (a connection)
 */
final class SubscriptionIndex<T> {

    /** One subscriber's place in the index. */
    static final class Entry<T> {
        private final T owner;
        private Set<Subscription.Key> keys = Set.of();
        private int slot = -1;
        private long round;

        Entry(T owner) {
            this.owner = owner;
        }

        T owner() {
            return owner;
        }
    }

    private final Set<String> broadcastTypes;
    private final Map<String, List<Entry<T>>> topics = new HashMap<>();
    private final Map<String, List<Entry<T>>> topicPrefixes = new HashMap<>();
    private final Map<String, List<Entry<T>>> types = new HashMap<>();
    private final Map<String, List<Entry<T>>> typePrefixes = new HashMap<>();
    private final List<Entry<T>> all = new ArrayList<>();
    private long round;
    private int subscriptions;
    private long visited;

    SubscriptionIndex(Set<String> broadcastTypes) {
        this.broadcastTypes = Set.copyOf(broadcastTypes);
    }

    /** Adds a subscriber with no subscription yet (it still receives broadcast types). */
    void add(Entry<T> entry) {
        if (entry.slot >= 0) {
            return;
        }
        entry.slot = all.size();
        all.add(entry);
    }

    /** Replaces the subscriber's index entries by {@code keys}, touching only what changed. */
    void update(Entry<T> entry, Set<Subscription.Key> keys) {
        if (entry.slot < 0) {
            throw new IllegalStateException("not in the index");
        }
        for (Subscription.Key k : entry.keys) {
            if (!keys.contains(k)) {
                unlink(entry, k);
            }
        }
        for (Subscription.Key k : keys) {
            if (!entry.keys.contains(k)) {
                map(k.kind()).computeIfAbsent(k.value(), v -> new ArrayList<>(4)).add(entry);
            }
        }
        subscriptions += keys.size() - entry.keys.size();
        entry.keys = Set.copyOf(keys);
    }

    /** Takes the subscriber out of the index altogether. */
    void remove(Entry<T> entry) {
        if (entry.slot < 0) {
            return;
        }
        for (Subscription.Key k : entry.keys) {
            unlink(entry, k);
        }
        subscriptions -= entry.keys.size();
        entry.keys = Set.of();
        Entry<T> last = all.removeLast();
        if (last != entry) {
            all.set(entry.slot, last);
            last.slot = entry.slot;
        }
        entry.slot = -1;
    }

    /** Subscribers in the index. */
    int size() {
        return all.size();
    }

    /** Index entries (subscriptions of all subscribers; a pattern two subscribers share counts twice). */
    int subscriptions() {
        return subscriptions;
    }

    /** How many entries the last {@link #match} looked at: the subscribers it reached, and their duplicates. */
    long lastVisited() {
        return visited;
    }

    /**
     * Hands every subscriber the event reaches to {@code sink}, each once.
     *
     * @return how many were handed over
     */
    int match(Event event, Consumer<T> sink) {
        long r = ++round;
        visited = 0;
        if (broadcastTypes.contains(event.type())) {
            for (Entry<T> e : all) {
                e.round = r;
                sink.accept(e.owner);
            }
            visited = all.size();
            return all.size();
        }
        int reached = 0;
        for (String topic : event.topics()) {
            reached += visit(topics.get(topic), r, sink);
            if (!topicPrefixes.isEmpty()) {
                reached += visit(topicPrefixes.get(""), r, sink);
                int colon = topic.indexOf(':');
                for (int end = colon; end >= 0 && end < topic.length() - 1; end = topic.indexOf('.', end + 1)) {
                    reached += visit(topicPrefixes.get(topic.substring(0, end + 1)), r, sink);
                }
            }
        }
        String type = event.type();
        reached += visit(types.get(type), r, sink);
        if (!typePrefixes.isEmpty()) {
            reached += visit(typePrefixes.get(""), r, sink);
            for (int dot = type.indexOf('.'); dot >= 0 && dot < type.length() - 1; dot = type.indexOf('.', dot + 1)) {
                reached += visit(typePrefixes.get(type.substring(0, dot + 1)), r, sink);
            }
        }
        return reached;
    }

    private int visit(List<Entry<T>> entries, long r, Consumer<T> sink) {
        if (entries == null) {
            return 0;
        }
        int reached = 0;
        visited += entries.size();
        for (Entry<T> e : entries) {
            if (e.round != r) {
                e.round = r;
                sink.accept(e.owner);
                reached++;
            }
        }
        return reached;
    }

    private void unlink(Entry<T> entry, Subscription.Key key) {
        Map<String, List<Entry<T>>> m = map(key.kind());
        List<Entry<T>> list = m.get(key.value());
        if (list == null) {
            return;
        }
        int i = list.indexOf(entry);
        if (i >= 0) {
            Entry<T> last = list.removeLast();
            if (i < list.size()) {
                list.set(i, last);
            }
        }
        if (list.isEmpty()) {
            m.remove(key.value());
        }
    }

    private Map<String, List<Entry<T>>> map(Subscription.KeyKind kind) {
        return switch (kind) {
            case TOPIC -> topics;
            case TOPIC_PREFIX -> topicPrefixes;
            case TYPE -> types;
            case TYPE_PREFIX -> typePrefixes;
        };
    }

    /** The distinct keys in use, for tests and diagnostics. */
    Set<String> keysInUse() {
        Set<String> out = new HashSet<>();
        topics.keySet().forEach(k -> out.add("topic " + k));
        topicPrefixes.keySet().forEach(k -> out.add("topic prefix " + k));
        types.keySet().forEach(k -> out.add("type " + k));
        typePrefixes.keySet().forEach(k -> out.add("type prefix " + k));
        return out;
    }
}
