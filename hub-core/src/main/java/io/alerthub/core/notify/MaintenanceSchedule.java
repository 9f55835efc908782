package io.alerthub.core.notify;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A recurring maintenance window: on the given days (every day when none), from a wall-clock time to another, in a
 * time zone. A window whose {@code to} is not after its {@code from} runs past midnight into the next day
 * ({@code SAT 22:00} to {@code SUN 06:00}).
 *
 * <p>The times are the zone's wall-clock times, so daylight saving time is what the people on the floor expect: a
 * window from 01:00 to 04:00 on the night clocks go forward lasts two real hours, on the night they go back four. A
 * {@code from} or {@code to} that does not exist that night (inside the hour that is skipped) is moved forward by
 * the gap, and one that exists twice (the hour that repeats) is the first of the two ({@link ZonedDateTime#of}).
 *
 * @param days the days a window starts on; empty = every day
 * @param from when a window starts, local time
 * @param to   when it ends, local time (the next day when not after {@code from})
 * @param zone the zone of those times
 */
public record MaintenanceSchedule(Set<DayOfWeek> days, LocalTime from, LocalTime to, ZoneId zone) {

    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");
    private static final Set<String> FIELDS = Set.of("days", "from", "to", "zone");

    public MaintenanceSchedule {
        days = Set.copyOf(days);
        if (from.equals(to)) {
            throw new IllegalArgumentException("from and to must differ");
        }
    }

    /** Whether a window is open at {@code t}. */
    public boolean activeAt(Instant t) {
        LocalDate today = t.atZone(zone).toLocalDate();
        for (LocalDate day : List.of(today.minusDays(1), today)) {
            if (days.isEmpty() || days.contains(day.getDayOfWeek())) {
                if (!t.isBefore(start(day)) && t.isBefore(end(day))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The start of the next window that begins after {@code t} (within the next eight days), or {@code null}. */
    public Instant nextStart(Instant t) {
        LocalDate day = t.atZone(zone).toLocalDate();
        for (int i = 0; i <= 8; i++, day = day.plusDays(1)) {
            if (days.isEmpty() || days.contains(day.getDayOfWeek())) {
                Instant s = start(day);
                if (s.isAfter(t)) {
                    return s;
                }
            }
        }
        return null;
    }

    /** Where the window that starts on {@code day} ends: after midnight when {@code to} is not after {@code from}. */
    public Instant end(LocalDate day) {
        return ZonedDateTime.of(to.isAfter(from) ? day : day.plusDays(1), to, zone).toInstant();
    }

    public Instant start(LocalDate day) {
        return ZonedDateTime.of(day, from, zone).toInstant();
    }

    /**
     * Reads {@code {"days":["SAT","SUN"],"from":"22:00","to":"06:00","zone":"Europe/Berlin"}}.
     *
     * @throws InvalidInputException naming the field that is wrong ({@code schedule.zone})
     */
    static MaintenanceSchedule fromJson(JsonNode o, String field) {
        if (!o.isObject()) {
            throw new InvalidInputException(field, field + " must be an object: {\"days\":[..],\"from\":\"22:00\","
                    + "\"to\":\"06:00\",\"zone\":\"Europe/Berlin\"}");
        }
        for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new InvalidInputException(field + "." + name, "unknown field " + name
                        + "; a schedule has days, from, to and zone");
            }
        }
        List<DayOfWeek> days = new ArrayList<>();
        JsonNode d = o.get("days");
        if (d != null && !d.isNull()) {
            if (!d.isArray()) {
                throw new InvalidInputException(field + ".days", "days must be an array such as [\"SAT\",\"SUN\"]");
            }
            for (JsonNode day : d) {
                days.add(day(day, field + ".days"));
            }
        }
        LocalTime from = time(o.get("from"), field + ".from");
        LocalTime to = time(o.get("to"), field + ".to");
        if (from.equals(to)) {
            throw new InvalidInputException(field + ".to", "to must differ from from (a window past midnight ends"
                    + " the next day: from 22:00 to 06:00)");
        }
        JsonNode z = o.get("zone");
        if (z == null || !z.isTextual() || z.asText().isBlank()) {
            throw new InvalidInputException(field + ".zone", "zone is required: a time zone such as Europe/Berlin");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(z.asText().trim());
        } catch (DateTimeException e) {
            throw new InvalidInputException(field + ".zone", "'" + printable(z.asText())
                    + "' is not a time zone (Europe/Berlin, America/Chicago, UTC)");
        }
        return new MaintenanceSchedule(Set.copyOf(days), from, to, zone);
    }

    private static DayOfWeek day(JsonNode day, String field) {
        if (day.isTextual()) {
            String t = day.asText().trim().toUpperCase(Locale.ROOT);
            for (DayOfWeek w : DayOfWeek.values()) {
                if (w.name().equals(t) || w.name().startsWith(t) && t.length() == 3) {
                    return w;
                }
            }
        }
        throw new InvalidInputException(field, "days are MON, TUE, WED, THU, FRI, SAT, SUN; not " + printable(
                day.toString()));
    }

    private static LocalTime time(JsonNode v, String field) {
        String name = field.substring(field.lastIndexOf('.') + 1);
        if (v == null || !v.isTextual()) {
            throw new InvalidInputException(field, name + " is required: a time of day, HH:mm");
        }
        try {
            return LocalTime.parse(v.asText().trim(), HH_MM);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field, name + " must be a time of day, HH:mm (22:00), not '"
                    + printable(v.asText()) + "'");
        }
    }

    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode d = o.putArray("days");
        for (DayOfWeek w : DayOfWeek.values()) {
            if (days.contains(w)) {
                d.add(w.name().substring(0, 3));
            }
        }
        o.put("from", HH_MM.format(from));
        o.put("to", HH_MM.format(to));
        o.put("zone", zone.getId());
        return o;
    }

    static String printable(String s) {
        String shown = s.length() > 100 ? s.substring(0, 100) + "..." : s;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
