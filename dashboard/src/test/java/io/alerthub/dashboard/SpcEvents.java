package io.alerthub.dashboard;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/** Events shaped as docs/dashboard.md describes them (the simulator's shapes), written as JSON text. */
final class SpcEvents {

    private static final AtomicLong IDS = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    private SpcEvents() {
    }

    static String sample(int characteristic, long sampleId, double value, String violations) {
        return String.format(Locale.ROOT, """
                {"type":"sample","characteristic_id":%d,"id":"test-sample-%d-%d",
                 "payload":{"sample":{"id":%d,"characteristic_id":%d,"value":%s,"mean":%s,"zone":null,
                 "in_control":%b},"violations":[%s],"characteristic_name":"Char %d","unit":"mm"}}""",
                             characteristic, sampleId, IDS.incrementAndGet(), sampleId, characteristic, value, value,
                             violations.isEmpty(), violations, characteristic);
    }

    static String sample(int characteristic, long sampleId, double value) {
        return sample(characteristic, sampleId, value, "");
    }

    static String limits(int characteristic, double cl, double ucl, double lcl) {
        return String.format(Locale.ROOT, """
                {"type":"control_limits","characteristic_id":%d,"id":"test-limits-%d",
                 "payload":{"characteristic_id":%d,"center_line":%s,"ucl":%s,"lcl":%s,"sigma":%s,
                 "characteristic_name":"Char %d"}}""",
                             characteristic, IDS.incrementAndGet(), characteristic, cl, ucl, lcl, (ucl - cl) / 3,
                             characteristic);
    }

    /** A violation; {@code ruleName} and {@code name} go in as JSON strings (escape quotes yourself). */
    static String violation(int characteristic, long violationId, long sampleId, int rule, String ruleName,
                            String severity, double value, String name) {
        return String.format(Locale.ROOT, """
                {"type":"violation","characteristic_id":%d,"severity":"%s","id":"test-violation-%d-%d",
                 "payload":{"violation_id":%d,"sample_id":%d,"characteristic_id":%d,"characteristic_name":"%s",
                 "rule_id":%d,"rule_name":"%s","severity":"%s","value":%s,"ucl":13,"lcl":7,"center_line":10}}""",
                             characteristic, severity, violationId, IDS.incrementAndGet(), violationId, sampleId,
                             characteristic, name, rule, ruleName, severity, value);
    }

    /** The event with an extra topic ({@code line:9}). */
    static String onTopic(String event, String topic) {
        return event.replaceFirst("\\{", "{\"topics\":[\"" + topic + "\"],");
    }

    /** The entry of a sample's own {@code violations} list. */
    static String tripped(long violationId, int rule, String severity) {
        return String.format(Locale.ROOT, "{\"violation_id\":%d,\"rule_id\":%d,\"severity\":\"%s\"}", violationId, rule,
                             severity);
    }
}
