package io.alerthub.email;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;

import io.alerthub.email.EmailSettings.Presentation;
import io.alerthub.spi.Event;
import io.alerthub.spi.Notification;
import io.alerthub.spi.Severity;

/**
 * The mail templates (Mustache, through JMustache): a subject, a text part and an HTML part for each event type,
 * plus {@code default} (any other type), {@code digest} and {@code reminder} (escalations). The built-in ones live in the jar;
 * a file {@code <name>.<subject|txt|html>.mustache} in {@code templates-dir} replaces one part.
 *
 * <p>HTML parts are compiled with HTML escaping on, and may not use Mustache's unescaped forms
 * ({@code {{{x}}}}, {@code {{&x}}}) nor change delimiters, so a value from a producer can never become markup.
 * Subjects are made single-line where the mail is put together ({@link HeaderText}).
 */
final class MailTemplates {

    static final String DEFAULT = "default";
    static final String DIGEST = "digest";
    static final String REMINDER = "reminder";
    static final List<String> BUILT_IN = List.of("violation", DEFAULT, DIGEST, REMINDER);
    static final List<String> PARTS = List.of("subject", "txt", "html");

    private static final String RESOURCES = "templates/";
    private static final Pattern FILE =
            Pattern.compile("([a-z0-9_]+(?:\\.[a-z0-9_]+)*)\\.(subject|txt|html)\\.mustache");
    private static final Pattern UNESCAPED = Pattern.compile("\\{\\{\\s*[{&=]");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");
    /** How many characteristics or rules a digest names one by one. */
    private static final int TOP = 20;

    /** Missing names render empty; empty strings and 0 count as false in sections. */
    private static final Mustache.Compiler TEXT = Mustache.compiler().escapeHTML(false).defaultValue("")
            .emptyStringIsFalse(true).zeroIsFalse(true);
    private static final Mustache.Compiler HTML = TEXT.escapeHTML(true);

    /**
     * A mail's three parts, as rendered.
     *
     * @param subject the subject (not yet made single-line)
     * @param text    the text/plain part
     * @param html    the text/html part
     */
    record Rendered(String subject, String text, String html) {
    }

    private record TemplateSet(Template subject, Template text, Template html) {
        Rendered render(Map<String, Object> view) {
            return new Rendered(subject.execute(view), text.execute(view), html.execute(view));
        }
    }

    private final Map<String, TemplateSet> sets;
    private final Presentation presentation;

    private MailTemplates(Map<String, TemplateSet> sets, Presentation presentation) {
        this.sets = sets;
        this.presentation = presentation;
    }

    /**
     * Compiles the built-in templates and the user's from {@code dir}.
     *
     * @param dir      the user's templates folder
     * @param required whether the folder must exist (it was configured explicitly)
     * @throws IllegalArgumentException naming the file that is wrong and why
     */
    static MailTemplates load(Path dir, boolean required, Presentation presentation) {
        Map<String, String> sources = new LinkedHashMap<>();
        for (String name : BUILT_IN) {
            for (String part : PARTS) {
                sources.put(name + "." + part, builtIn(name + "." + part + ".mustache"));
            }
        }
        TreeSet<String> names = new TreeSet<>(BUILT_IN);
        Map<String, Path> origin = new LinkedHashMap<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.mustache")) {
                for (Path f : files) {
                    Matcher m = FILE.matcher(f.getFileName().toString());
                    if (!m.matches()) {
                        throw new IllegalArgumentException(f + ": a template file is named <event type>."
                                + "<subject|txt|html>.mustache (violation.html.mustache, digest.subject.mustache)");
                    }
                    names.add(m.group(1));
                    sources.put(m.group(1) + "." + m.group(2), Files.readString(f, StandardCharsets.UTF_8));
                    origin.put(m.group(1) + "." + m.group(2), f);
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read templates from " + dir + ": " + e.getMessage());
            }
        } else if (required) {
            throw new IllegalArgumentException(dir + " is not a folder");
        }
        Map<String, TemplateSet> sets = new LinkedHashMap<>();
        for (String name : names) {
            Template[] parts = new Template[PARTS.size()];
            for (int i = 0; i < parts.length; i++) {
                String part = PARTS.get(i);
                String key = sources.containsKey(name + "." + part) ? name + "." + part : DEFAULT + "." + part;
                String where = origin.containsKey(key) ? origin.get(key).toString() : "built-in " + key + ".mustache";
                parts[i] = compile(sources.get(key), part.equals("html"), where);
            }
            sets.put(name, new TemplateSet(parts[0], parts[1], parts[2]));
        }
        return new MailTemplates(Map.copyOf(sets), presentation);
    }

    private static Template compile(String source, boolean html, String where) {
        if (html && UNESCAPED.matcher(source).find()) {
            throw new IllegalArgumentException(where + ": an HTML template may not use {{{...}}}, {{&...}} or change"
                    + " delimiters: every value in HTML is escaped");
        }
        try {
            return (html ? HTML : TEXT).compile(source);
        } catch (MustacheException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    private static String builtIn(String file) {
        try (InputStream in = MailTemplates.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                throw new IllegalStateException("built-in template " + file + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read built-in template " + file, e);
        }
    }

    /** A mail about one event: its type's templates, else {@code default}. */
    Rendered event(EventSummary e) {
        TemplateSet set = sets.getOrDefault(e.type(), sets.get(DEFAULT));
        return set.render(eventView(e));
    }

    /** A digest: counts over every event it stands for, and the first ones listed. */
    Rendered digest(Notification n) {
        Map<String, Object> v = new LinkedHashMap<>();
        Notification.Summary summary = n.summary();
        long count = n.eventCount();
        boolean allViolations = summary.byType().keySet().equals(Set.of("violation"));
        v.put("count", count);
        v.put("noun", allViolations ? plural(count, "violation") : plural(count, "event"));
        v.put("all_violations", allViolations);
        v.put("severity_summary", summary.severities());
        List<Map.Entry<String, Long>> chars = new ArrayList<>(summary.byCharacteristic().entrySet());
        List<String> named = chars.stream().map(Map.Entry::getKey)
                .filter(k -> !k.equals(Notification.Summary.NO_CHARACTERISTIC)).toList();
        v.put("characteristic_summary", named.size() == 1 ? named.getFirst()
                : named.isEmpty() ? "" : named.size() + " characteristics");
        v.put("characteristics", counted(chars));
        v.put("more_characteristics", Math.max(0, chars.size() - TOP));
        v.put("rules", counted(new ArrayList<>(summary.byRule().entrySet())));
        List<Map<String, Object>> items = new ArrayList<>();
        for (Event e : n.events()) {
            items.add(eventView(EventSummary.of(e)));
        }
        v.put("items", items);
        v.put("shown", items.size());
        v.put("has_more", count > items.size());
        v.put("more", count - items.size());
        v.put("first_time", time(summary.first()));
        v.put("last_time", time(summary.last()));
        v.put("link", presentation.publicUrl());
        return sets.get(DIGEST).render(withFlags(v));
    }

    /**
     * An escalation (a reminder): the alarms nobody acknowledged or cleared, each with the event that opened it when
     * the hub still had it.
     */
    Rendered escalation(Notification n, Instant now) {
        Map<String, Object> v = new LinkedHashMap<>();
        Map<Long, Event> opening = new HashMap<>();
        n.events().forEach(e -> opening.put(e.seq(), e));
        Set<Severity> severities = EnumSet.noneOf(Severity.class);
        List<Map<String, Object>> items = new ArrayList<>();
        for (Notification.Alarm a : n.alarms()) {
            severities.add(a.severity());
            Event e = opening.get(a.openedSeq());
            Map<String, Object> item = e != null ? eventView(EventSummary.of(e)) : alarmView(a);
            item.put("opened_time", time(a.openedAt()));
            item.put("mailed_time", time(a.openedAt()));
            item.put("open_for", duration(Duration.between(a.openedAt(), now).isNegative() ? Duration.ZERO
                    : Duration.between(a.openedAt(), now)));
            item.put("reminder_number", n.escalationStep() + n.repeat());
            items.add(withFlags(item));
        }
        v.put("count", n.alarms().size());
        v.put("noun", plural(n.alarms().size(), "violation"));
        v.put("severity", severities.size() == 1 ? severities.iterator().next().name() : "");
        v.put("step", n.escalationStep());
        v.put("repeat", n.repeat());
        v.put("is_repeat", n.repeat() > 0);
        v.put("items", items);
        v.put("link", presentation.publicUrl());
        return sets.get(REMINDER).render(withFlags(v));
    }

    /** What an escalation shows of an alarm whose opening event the hub no longer has. */
    private Map<String, Object> alarmView(Notification.Alarm a) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("type", "violation");
        v.put("severity", a.severity().name());
        v.put("is_critical", a.severity() == Severity.CRITICAL);
        v.put("title", a.ruleName() != null ? a.ruleName() : "Violation");
        v.put("time", time(a.openedAt()));
        v.put("timestamp", a.openedAt().toString());
        v.put("characteristic", a.characteristicId() == null ? "" : "#" + a.characteristicId());
        v.put("characteristic_id", nz(a.characteristicId()));
        v.put("violation_id", a.violationId());
        v.put("rule_name", nz(a.ruleName()));
        v.put("topics", a.topics());
        v.put("topics_text", String.join(", ", a.topics()));
        v.put("details", List.of());
        v.put("link", link(a.characteristicId(), a.violationId(), a.openedSeq(), "violation"));
        return v;
    }

    Map<String, Object> eventView(EventSummary e) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("type", e.type());
        v.put("seq", e.seq());
        v.put("severity", e.severity().name());
        v.put("is_critical", e.severity() == Severity.CRITICAL);
        v.put("title", e.ruleName() != null ? e.ruleName() : "violation".equals(e.type()) ? "Violation" : e.type());
        v.put("timestamp", e.timestamp().toString());
        v.put("time", time(e.timestamp()));
        v.put("characteristic", e.characteristicLabel());
        v.put("characteristic_id", nz(e.characteristicId()));
        v.put("characteristic_name", nz(e.characteristicName()));
        v.put("violation_id", nz(e.violationId()));
        v.put("rule_name", nz(e.ruleName()));
        v.put("rule_id", nz(e.ruleId()));
        v.put("sample_id", nz(e.sampleId()));
        v.put("value", nz(e.value()));
        v.put("unit", nz(e.unit()));
        v.put("lcl", nz(e.lcl()));
        v.put("center_line", nz(e.centerLine()));
        v.put("ucl", nz(e.ucl()));
        v.put("lsl", nz(e.lsl()));
        v.put("usl", nz(e.usl()));
        v.put("has_limits", e.lcl() != null || e.ucl() != null || e.centerLine() != null);
        v.put("has_spec", e.lsl() != null || e.usl() != null);
        v.put("limit_status", status(e.value(), e.lcl(), e.ucl(), "LCL", "UCL", "within control limits"));
        v.put("spec_status", status(e.value(), e.lsl(), e.usl(), "LSL", "USL", "within specification"));
        v.put("topics", e.topics());
        v.put("topics_text", String.join(", ", e.topics()));
        List<Map<String, Object>> details = new ArrayList<>();
        for (EventSummary.Detail d : e.details()) {
            details.add(Map.of("key", d.key(), "value", d.value()));
        }
        v.put("details", details);
        v.put("link", link(e));
        return withFlags(v);
    }

    /**
     * Adds {@code has_x} for every text value {@code x}: templates test those rather than open a section on a
     * string (which in Mustache would make the string the context of the section).
     */
    private static Map<String, Object> withFlags(Map<String, Object> view) {
        Map<String, Object> flags = new LinkedHashMap<>();
        view.forEach((k, v) -> {
            if (v instanceof String s) {
                flags.put("has_" + k, !s.isEmpty());
            } else if (v instanceof List<?> l) {
                flags.putIfAbsent("has_" + k, !l.isEmpty());
            }
        });
        flags.forEach(view::putIfAbsent);
        return view;
    }

    private String link(EventSummary e) {
        return link(e.characteristicId(), e.violationId(), e.seq(), e.type());
    }

    private String link(String characteristicId, String violationId, long seq, String type) {
        return presentation.links().link(characteristicId, violationId, seq, type);
    }

    private String time(Instant t) {
        return t == null ? "" : TIME.format(t.atZone(presentation.zone()));
    }

    /** Where the value stands against a pair of limits: {@code above UCL (10.2) by 0.3}. */
    private static String status(String value, String low, String high, String lowName, String highName,
                                 String inside) {
        BigDecimal v = number(value);
        BigDecimal lo = number(low);
        BigDecimal hi = number(high);
        if (v == null || lo == null && hi == null) {
            return "";
        }
        if (hi != null && v.compareTo(hi) > 0) {
            return "above " + highName + " (" + high + ") by " + v.subtract(hi).stripTrailingZeros().toPlainString();
        }
        if (lo != null && v.compareTo(lo) < 0) {
            return "below " + lowName + " (" + low + ") by " + lo.subtract(v).stripTrailingZeros().toPlainString();
        }
        return inside;
    }

    private static BigDecimal number(String s) {
        if (s == null) {
            return null;
        }
        try {
            return new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static List<Map<String, Object>> counted(List<Map.Entry<String, Long>> entries) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<String, Long> e : entries.subList(0, Math.min(TOP, entries.size()))) {
            out.add(Map.of("name", e.getKey(), "count", e.getValue()));
        }
        return out;
    }

    private static String plural(long n, String noun) {
        return n == 1 ? noun : noun + "s";
    }

    private static String duration(Duration d) {
        long minutes = d.toMinutes();
        if (minutes < 1) {
            return d.toSeconds() + " s";
        }
        if (minutes < 120) {
            return minutes + " min";
        }
        return d.toHours() + " h " + (minutes % 60) + " min";
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
