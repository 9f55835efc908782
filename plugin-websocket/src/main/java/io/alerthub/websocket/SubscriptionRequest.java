package io.alerthub.websocket;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.alerthub.spi.SubscriptionPattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the subscription a client asks for, from a {@code subscribe}/{@code unsubscribe} message or from the
 * query of the upgrade request, checking every value.
 */
final class SubscriptionRequest {

    private static final int MAX_ITEMS = 10_000;

    private SubscriptionRequest() {
    }

    /**
     * The change a message carries: {@code characteristic_ids}, {@code topics}, {@code events} (each optional).
     *
     * @throws ClientError naming the bad value
     */
    static Subscription fromMessage(JsonNode message) {
        Map<String, Boolean> ids = characteristicIds(message.get("characteristic_ids"), "characteristic_ids");
        Map<String, SubscriptionPattern> topics = new LinkedHashMap<>();
        for (String t : strings(message.get("topics"), "topics")) {
            topics.put(t, topicPattern(t));
        }
        Map<String, SubscriptionPattern> events = new LinkedHashMap<>();
        for (String e : strings(message.get("events"), "events")) {
            events.put(e, eventPattern(e));
        }
        return new Subscription(ids, topics, events);
    }

    /**
     * A subscription from query parameters ({@code characteristic_ids=1,2&topics=line:7&events=alert.*}); each may be
     * repeated or comma-separated.
     *
     * @throws ClientError naming the bad value
     */
    static Subscription fromQuery(List<String> characteristicIds, List<String> topics, List<String> events) {
        Map<String, Boolean> ids = new LinkedHashMap<>();
        for (String id : split(characteristicIds)) {
            boolean numeric = isInteger(id);
            if (numeric) {
                ids.put(Long.toString(parseId(id)), true);
            } else {
                ids.put(checkIdText(id), false);
            }
        }
        Map<String, SubscriptionPattern> t = new LinkedHashMap<>();
        for (String topic : split(topics)) {
            t.put(topic, topicPattern(topic));
        }
        Map<String, SubscriptionPattern> e = new LinkedHashMap<>();
        for (String event : split(events)) {
            e.put(event, eventPattern(event));
        }
        return new Subscription(ids, t, e);
    }

    /**
     * Characteristic ids given as a JSON array (or a single value, as OpenSPC allows): integers, or strings of
     * {@code [A-Za-z0-9_-]{1,64}}.
     *
     * @throws ClientError naming the bad value
     */
    static Map<String, Boolean> characteristicIds(JsonNode node, String field) {
        Map<String, Boolean> ids = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return ids;
        }
        List<JsonNode> items = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(items::add);
        } else {
            items.add(node);
        }
        checkCount(items.size(), field);
        for (JsonNode id : items) {
            if (id.isIntegralNumber() && id.canConvertToLong()) {
                ids.put(Long.toString(id.longValue()), true);
            } else if (id.isTextual()) {
                ids.put(checkIdText(id.textValue()), false);
            } else {
                throw new ClientError(ClientError.INVALID_SUBSCRIPTION, field + ": " + id
                        + " is not a characteristic id (an integer, or a string of 1 to 64 letters, digits, _ or -)");
            }
        }
        return ids;
    }

    private static List<String> strings(JsonNode node, String field) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw new ClientError(ClientError.INVALID_SUBSCRIPTION, field + " must be an array of strings");
        }
        checkCount(node.size(), field);
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new ClientError(ClientError.INVALID_SUBSCRIPTION, field + " must be an array of strings, not "
                        + item);
            }
            out.add(item.textValue());
        }
        return out;
    }

    private static void checkCount(int count, String field) {
        if (count > MAX_ITEMS) {
            throw new ClientError(ClientError.INVALID_SUBSCRIPTION, field + " has " + count + " items; at most "
                    + MAX_ITEMS + " fit in one message");
        }
    }

    private static SubscriptionPattern topicPattern(String text) {
        try {
            return SubscriptionPattern.topic(text);
        } catch (IllegalArgumentException e) {
            throw new ClientError(ClientError.INVALID_SUBSCRIPTION, e.getMessage());
        }
    }

    private static SubscriptionPattern eventPattern(String text) {
        try {
            return SubscriptionPattern.event(text);
        } catch (IllegalArgumentException e) {
            throw new ClientError(ClientError.INVALID_SUBSCRIPTION, e.getMessage());
        }
    }

    private static String checkIdText(String id) {
        if (!SubscriptionPattern.CHARACTERISTIC_ID.matcher(id).matches()) {
            throw new ClientError(ClientError.INVALID_SUBSCRIPTION, "characteristic id '" + abbreviate(id)
                    + "' must be an integer or 1 to 64 letters, digits, _ or -");
        }
        return id;
    }

    private static boolean isInteger(String s) {
        int start = s.startsWith("-") ? 1 : 0;
        if (s.length() == start || s.length() > 20) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static long parseId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new ClientError(ClientError.INVALID_SUBSCRIPTION, "characteristic id " + id + " is too large");
        }
    }

    private static List<String> split(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            for (String part : v.split(",")) {
                String p = part.trim();
                if (!p.isEmpty()) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
