package io.alerthub.email;

import java.util.ArrayList;
import java.util.List;

import io.alerthub.spi.ConfigNode;
import io.alerthub.spi.Event;
import io.alerthub.spi.Severity;
import io.alerthub.spi.SubscriptionPattern;

/**
 * One routing rule: which events it takes and who gets them. Rules are tried in order; the first that
 * matches decides, and an event no rule matches is not mailed.
 *
 * @param types       event-type patterns ({@code violation}, {@code alert.*}, {@code *}); one must match
 * @param minSeverity the lowest severity taken
 * @param topics      topic patterns ({@code line:7}, {@code characteristic:*}); empty = any topic (or none)
 * @param to          who gets the matching events
 */
record RoutingRule(List<SubscriptionPattern> types, Severity minSeverity, List<SubscriptionPattern> topics,
                   Recipients to) {

    static final List<String> DEFAULT_TYPES = List.of("violation");
    static final Severity DEFAULT_MIN_SEVERITY = Severity.CRITICAL;

    RoutingRule {
        types = List.copyOf(types);
        topics = List.copyOf(topics);
    }

    boolean matches(Event event) {
        if (!event.severity().atLeast(minSeverity)) {
            return false;
        }
        boolean typeMatches = false;
        for (SubscriptionPattern p : types) {
            if (p.matches(event.type())) {
                typeMatches = true;
                break;
            }
        }
        if (!typeMatches) {
            return false;
        }
        if (topics.isEmpty()) {
            return true;
        }
        for (SubscriptionPattern p : topics) {
            if (p.matchesAny(event.topics())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads a rule ({@code rules[i]}) or the protocol's {@code filter}, whose recipients are the plugin's {@code to}.
     *
     * @param c         the rule's section
     * @param defaultTo the plugin's {@code to}, for a rule without its own; may be empty
     * @param withTopicsAndTo whether the section is a rule (with {@code topics} and {@code to}) or the {@code filter}
     */
    static RoutingRule create(ConfigNode c, List<String> defaultTo, boolean withTopicsAndTo) {
        List<SubscriptionPattern> types = new ArrayList<>();
        List<String> typeTexts = c.strings("types", DEFAULT_TYPES);
        if (typeTexts.isEmpty()) {
            throw c.error("types", "must name at least one event type or pattern (violation, alert.*, *)");
        }
        for (String t : typeTexts) {
            try {
                types.add(SubscriptionPattern.event(t.trim()));
            } catch (IllegalArgumentException e) {
                throw c.error("types", e.getMessage());
            }
        }
        Severity min = c.enumValue("min-severity", Severity.class, DEFAULT_MIN_SEVERITY);
        List<SubscriptionPattern> topics = new ArrayList<>();
        List<String> to = defaultTo;
        if (withTopicsAndTo) {
            for (String t : c.strings("topics", List.of())) {
                try {
                    topics.add(SubscriptionPattern.topic(t.trim()));
                } catch (IllegalArgumentException e) {
                    throw c.error("topics", e.getMessage());
                }
            }
            if (c.exists("to")) {
                to = addresses(c, "to", List.of());
            }
        }
        if (to.isEmpty()) {
            // the filter's recipients are the plugin's `to`, which the caller checks under its own key
            throw c.error("to", "is required: this rule has no recipients and the plugin's `to` is empty");
        }
        return new RoutingRule(types, min, topics, Recipients.of(to));
    }

    /** A list of addresses, each checked. */
    static List<String> addresses(ConfigNode c, String key, List<String> defaultValue) {
        List<String> out = new ArrayList<>();
        for (String a : c.strings(key, defaultValue)) {
            try {
                out.add(Recipients.parseAddress(a));
            } catch (IllegalArgumentException e) {
                throw c.error(key, e.getMessage());
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "types " + types + ", severity >= " + minSeverity + (topics.isEmpty() ? "" : ", topics " + topics)
                + " -> " + to;
    }
}
