package io.alerthub.webhook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.alerthub.spi.DashboardLinks;
import io.alerthub.spi.Event;
import io.alerthub.spi.Notification;
import io.alerthub.spi.Severity;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The bodies a webhook target receives, one per notification:
 * <ul>
 *   <li>{@code json}: the notification as AlertHub sees it — its events in their wire form (exactly as
 *       {@code GET /api/v1/events} shows them), the counts over everything it stands for, its alarms;</li>
 *   <li>{@code slack}: an incoming-webhook message ({@code text} and Block Kit blocks): a title, severity,
 *       characteristic, rule, time and a link, values escaped for Slack's mrkdwn;</li>
 *   <li>{@code teams}: a Workflows webhook message carrying an Adaptive Card with the same facts.</li>
 * </ul>
 */
final class WebhookPayloads {

    /** Events a chat message lists one by one. */
    static final int CHAT_ITEMS = 10;
    private static final JsonFactory JSON = new JsonFactory();

    private final DashboardLinks links;

    WebhookPayloads(DashboardLinks links) {
        this.links = links;
    }

    byte[] render(WebhookTarget.Format format, Notification n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + n.events().size() * 512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            switch (format) {
                case JSON -> json(g, n);
                case SLACK -> slack(g, n);
                case TEAMS -> teams(g, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void json(JsonGenerator g, Notification n) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", n.id());
        g.writeStringField("kind", n.kind().name().toLowerCase());
        g.writeStringField("receiver", n.receiver());
        g.writeStringField("created_at", n.createdAt().toString());
        g.writeStringField("title", title(n));
        g.writeNumberField("count", n.eventCount());
        g.writeArrayFieldStart("events");
        for (Event e : n.events()) {
            g.writeRawValue(e.jsonString());
        }
        g.writeEndArray();
        Notification.Summary s = n.summary();
        g.writeObjectFieldStart("summary");
        counts(g, "by_characteristic", s.byCharacteristic());
        counts(g, "by_rule", s.byRule());
        g.writeObjectFieldStart("by_severity");
        for (Map.Entry<Severity, Long> e : s.bySeverity().entrySet()) {
            g.writeNumberField(e.getKey().name(), e.getValue());
        }
        g.writeEndObject();
        counts(g, "by_type", s.byType());
        if (s.first() != null) {
            g.writeStringField("first", s.first().toString());
            g.writeStringField("last", s.last().toString());
        }
        g.writeEndObject();
        g.writeArrayFieldStart("alarms");
        for (Notification.Alarm a : n.alarms()) {
            g.writeStartObject();
            g.writeStringField("violation_id", a.violationId());
            g.writeStringField("characteristic_id", a.characteristicId());
            g.writeArrayFieldStart("topics");
            for (String t : a.topics()) {
                g.writeString(t);
            }
            g.writeEndArray();
            g.writeStringField("severity", a.severity().name());
            g.writeStringField("rule_name", a.ruleName());
            g.writeStringField("opened_at", a.openedAt().toString());
            g.writeNumberField("opened_seq", a.openedSeq());
            g.writeEndObject();
        }
        g.writeEndArray();
        if (n.kind() == Notification.Kind.ESCALATION) {
            g.writeNumberField("escalation_step", n.escalationStep());
            g.writeNumberField("repeat", n.repeat());
        }
        String link = link(n);
        if (!link.isEmpty()) {
            g.writeStringField("link", link);
        }
        g.writeEndObject();
    }

    private static void counts(JsonGenerator g, String name, Map<String, Long> counts) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    private void slack(JsonGenerator g, Notification n) throws IOException {
        String title = title(n);
        g.writeStartObject();
        g.writeStringField("text", slackEscape(title));
        g.writeArrayFieldStart("blocks");
        g.writeStartObject();
        g.writeStringField("type", "header");
        g.writeObjectFieldStart("text");
        g.writeStringField("type", "plain_text");
        g.writeStringField("text", cut(title, 150));
        g.writeEndObject();
        g.writeEndObject();
        g.writeStartObject();
        g.writeStringField("type", "section");
        g.writeArrayFieldStart("fields");
        for (String[] fact : facts(n)) {
            g.writeStartObject();
            g.writeStringField("type", "mrkdwn");
            g.writeStringField("text", "*" + fact[0] + "*\n" + slackEscape(fact[1]));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        List<String> items = items(n);
        if (!items.isEmpty()) {
            StringBuilder list = new StringBuilder();
            for (String item : items) {
                list.append("• ").append(slackEscape(item)).append('\n');
            }
            g.writeStartObject();
            g.writeStringField("type", "section");
            g.writeObjectFieldStart("text");
            g.writeStringField("type", "mrkdwn");
            g.writeStringField("text", cut(list.toString().strip(), 2900));
            g.writeEndObject();
            g.writeEndObject();
        }
        String link = link(n);
        if (!link.isEmpty()) {
            g.writeStartObject();
            g.writeStringField("type", "section");
            g.writeObjectFieldStart("text");
            g.writeStringField("type", "mrkdwn");
            g.writeStringField("text", "<" + slackEscape(link) + "|Open in the dashboard>");
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void teams(JsonGenerator g, Notification n) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "message");
        g.writeArrayFieldStart("attachments");
        g.writeStartObject();
        g.writeStringField("contentType", "application/vnd.microsoft.card.adaptive");
        g.writeNullField("contentUrl");
        g.writeObjectFieldStart("content");
        g.writeStringField("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        g.writeStringField("type", "AdaptiveCard");
        g.writeStringField("version", "1.4");
        g.writeArrayFieldStart("body");
        g.writeStartObject();
        g.writeStringField("type", "TextBlock");
        g.writeStringField("size", "Large");
        g.writeStringField("weight", "Bolder");
        g.writeStringField("color", worst(n) == Severity.CRITICAL ? "Attention"
                : worst(n) == Severity.WARNING ? "Warning" : "Default");
        g.writeStringField("text", title(n));
        g.writeBooleanField("wrap", true);
        g.writeEndObject();
        g.writeStartObject();
        g.writeStringField("type", "FactSet");
        g.writeArrayFieldStart("facts");
        for (String[] fact : facts(n)) {
            g.writeStartObject();
            g.writeStringField("title", fact[0]);
            g.writeStringField("value", fact[1]);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        for (String item : items(n)) {
            g.writeStartObject();
            g.writeStringField("type", "TextBlock");
            g.writeStringField("text", "- " + item);
            g.writeBooleanField("wrap", true);
            g.writeStringField("spacing", "None");
            g.writeEndObject();
        }
        g.writeEndArray();
        String link = link(n);
        if (!link.isEmpty()) {
            g.writeArrayFieldStart("actions");
            g.writeStartObject();
            g.writeStringField("type", "Action.OpenUrl");
            g.writeStringField("title", "Open in the dashboard");
            g.writeStringField("url", link);
            g.writeEndObject();
            g.writeEndArray();
        }
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
    }

    /** A readable title: {@code CRITICAL One point beyond 3 sigma on Bore diameter}, {@code 37 violations (..)}. */
    static String title(Notification n) {
        return switch (n.kind()) {
            case EVENT -> {
                Event e = n.events().getFirst();
                String what = text(e.payload(), "rule_name");
                String on = characteristic(e);
                yield e.severity().name() + " " + (what != null ? what : e.type())
                        + (on.isEmpty() ? "" : " on " + on);
            }
            case DIGEST -> {
                Map<String, Long> types = n.summary().byType();
                String noun = types.keySet().equals(java.util.Set.of("violation")) ? "violation" : "event";
                long named = n.summary().byCharacteristic().keySet().stream()
                        .filter(k -> !k.equals(Notification.Summary.NO_CHARACTERISTIC)).count();
                String on = named == 1 ? n.summary().byCharacteristic().keySet().iterator().next()
                        : named > 1 ? named + " characteristics" : "";
                yield n.eventCount() + " " + noun + (n.eventCount() == 1 ? "" : "s") + " ("
                        + n.summary().severities() + ")" + (on.isEmpty() ? "" : " on " + on);
            }
            case ESCALATION -> "Escalation step " + n.escalationStep() + (n.repeat() > 0 ? " (repeat " + n.repeat()
                    + ")" : "") + ": " + n.alarms().size() + " unacknowledged alarm" + (n.alarms().size() == 1
                    ? "" : "s");
        };
    }

    /** Severity, characteristic, rule, time (of a single event or alarm; counts for more). */
    private static List<String[]> facts(Notification n) {
        List<String[]> facts = new ArrayList<>();
        if (n.kind() == Notification.Kind.EVENT || n.alarms().size() == 1) {
            Event e = n.events().isEmpty() ? null : n.events().getFirst();
            Notification.Alarm a = n.alarms().isEmpty() ? null : n.alarms().getFirst();
            facts.add(new String[] {"Severity", e != null ? e.severity().name() : a.severity().name()});
            String on = e != null ? characteristic(e) : a.characteristicId() == null ? "" : "#" + a.characteristicId();
            if (!on.isEmpty()) {
                facts.add(new String[] {"Characteristic", on});
            }
            String rule = e != null ? rule(e) : a.ruleName();
            if (rule != null && !rule.isEmpty()) {
                facts.add(new String[] {"Rule", rule});
            }
            facts.add(new String[] {"Time", (e != null ? e.timestamp() : a.openedAt()).toString()});
            String id = e != null ? text(e.payload(), "violation_id") : a.violationId();
            if (id != null) {
                facts.add(new String[] {"Violation", id});
            }
        } else {
            facts.add(new String[] {"Severity", n.summary().severities()});
            Map<String, Long> chars = n.summary().byCharacteristic();
            if (!chars.isEmpty()) {
                facts.add(new String[] {"Characteristics", top(chars)});
            }
            if (!n.summary().byRule().isEmpty()) {
                facts.add(new String[] {"Rules", top(n.summary().byRule())});
            }
            if (n.summary().first() != null) {
                facts.add(new String[] {"Time", n.summary().first() + " – " + n.summary().last()});
            }
        }
        if (n.kind() == Notification.Kind.ESCALATION) {
            facts.add(new String[] {"Escalation step", Integer.toString(n.escalationStep())});
        }
        return facts;
    }

    /** The events (or alarms) a chat message lists one by one, when it stands for more than one. */
    private static List<String> items(Notification n) {
        List<String> out = new ArrayList<>();
        if (n.kind() == Notification.Kind.EVENT || n.alarms().size() == 1) {
            return out;
        }
        if (n.kind() == Notification.Kind.ESCALATION) {
            for (Notification.Alarm a : n.alarms()) {
                if (out.size() == CHAT_ITEMS) {
                    break;
                }
                out.add(a.severity().name() + " " + (a.ruleName() == null ? "violation" : a.ruleName())
                        + (a.characteristicId() == null ? "" : " on #" + a.characteristicId()) + " [violation "
                        + a.violationId() + "] opened " + a.openedAt());
            }
        } else {
            for (Event e : n.events()) {
                if (out.size() == CHAT_ITEMS) {
                    break;
                }
                String on = characteristic(e);
                String what = text(e.payload(), "rule_name");
                out.add(e.timestamp() + " " + e.severity().name() + " " + (what == null ? e.type() : what)
                        + (on.isEmpty() ? "" : " on " + on));
            }
        }
        long more = n.eventCount() - out.size();
        if (more > 0) {
            out.add("… and " + more + " more");
        }
        return out;
    }

    private String link(Notification n) {
        if (n.kind() == Notification.Kind.EVENT) {
            Event e = n.events().getFirst();
            return links.link(e.characteristicId().orElse(null), text(e.payload(), "violation_id"), e.seq(), e.type());
        }
        if (n.alarms().size() == 1) {
            Notification.Alarm a = n.alarms().getFirst();
            return links.link(a.characteristicId(), a.violationId(), a.openedSeq(), "violation");
        }
        return links.publicUrl();
    }

    private static Severity worst(Notification n) {
        Severity worst = Severity.INFO;
        for (Severity s : n.summary().bySeverity().keySet()) {
            worst = s.compareTo(worst) > 0 ? s : worst;
        }
        for (Notification.Alarm a : n.alarms()) {
            worst = a.severity().compareTo(worst) > 0 ? a.severity() : worst;
        }
        for (Event e : n.events()) {
            worst = e.severity().compareTo(worst) > 0 ? e.severity() : worst;
        }
        return worst;
    }

    private static String top(Map<String, Long> counts) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            if (parts.size() == 5) {
                parts.add("…");
                break;
            }
            parts.add(e.getValue() + " × " + e.getKey());
        }
        return String.join(", ", parts);
    }

    /** The characteristic as people know it: its name in the payload, else {@code #<id>}, else empty. */
    static String characteristic(Event e) {
        String name = text(e.payload(), "characteristic_name");
        if (name == null && e.payload().path("characteristic").isTextual()) {
            name = e.payload().get("characteristic").asText();
        }
        if (name != null && !name.isBlank()) {
            return name + e.characteristicId().map(id -> " (#" + id + ")").orElse("");
        }
        return e.characteristicId().map(id -> "#" + id).orElse("");
    }

    private static String rule(Event e) {
        String name = text(e.payload(), "rule_name");
        String id = text(e.payload(), "rule_id");
        if (name == null) {
            return id == null ? null : "rule " + id;
        }
        return id == null ? name : name + " (rule " + id + ")";
    }

    private static String text(JsonNode payload, String name) {
        JsonNode v = payload.get(name);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }

    /** Slack's mrkdwn: {@code &}, {@code <} and {@code >} are its markup and must be escaped in values. */
    static String slackEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
