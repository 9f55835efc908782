package io.alerthub.websocket;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import io.alerthub.core.event.EventDraft;
import io.alerthub.spi.Event;
import io.alerthub.spi.Severity;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each payload shape a producer may post (docs/dashboard.md, the simulator's {@code SpcEvents}, PROTOCOL section 1)
 * → the exact message {@code /ws/samples} sends for it, and every message read the way OpenSPC's client reads it.
 *
 * <p>What OpenSPC sends and reads (djbrandl/OpenSPC at commit af5f3f339b4925082dd92e266ca010f39ef1bb7d):
 * <pre>
 * backend/src/openspc/core/broadcast.py
 *   110-122  sample:        {"type":"sample","characteristic_id",
 *                            "sample":{"id","characteristic_id","timestamp","mean","zone","in_control"},
 *                            "violations":[]}
 *   152-158  limits_update: {"type":"limits_update","characteristic_id","ucl","lcl","center_line"}
 *   194-205  violation:     {"type":"violation","violation":{"id","sample_id","characteristic_id","rule_id",
 *                            "rule_name","severity","timestamp"}}   (no top-level characteristic_id; we add it)
 *   240-245  ack_update:    {"type":"ack_update","violation_id","ack_user","ack_reason"}, to every client (254)
 * backend/src/openspc/api/v1/websocket.py
 *   509-516  ack_update as types/index.ts has it: + "characteristic_id", "acknowledged"
 * frontend/src/providers/WebSocketProvider.tsx (handleMessage)
 *   36       JSON.parse(event.data); 84-86 any exception: console.error('Failed to parse WebSocket message:')
 *   38       message.type
 *   41       message.characteristic_id              (sample; again 46, 49 as query keys)
 *   42       message.sample.mean                    (updateLatestSample)
 *   43       message.sample.timestamp               (updateLatestSample)
 *   54-56    message.violations.forEach(v => addPendingViolation(v))   (throws unless an array)
 *   61       addPendingViolation(message.violation)
 *   66-72    ack_update: nothing but the type
 *   76, 79   message.characteristic_id              (limits_update)
 * frontend/src/stores/dashboardStore.ts
 *   62       latestSamples: Map<number, { mean: number; timestamp: string }>
 *   179-182  addPendingViolation: appends the Violation as received
 *   183-186  removePendingViolation(id): pendingViolations.filter((v) => v.id !== id)
 * frontend/src/types/index.ts
 *   119-135  Sample: id, characteristic_id, timestamp: string, mean: number, ...
 *   227-244  Violation: id, sample_id, rule_id, rule_name, severity, ..., acknowledged, ..., characteristic_id, ...
 *   255-260  WSSampleMessage: type, characteristic_id: number, sample: Sample, violations: Violation[]
 *   262-265  WSViolationMessage: type, violation: Violation
 *   267-274  WSAckMessage: type, violation_id, characteristic_id, acknowledged, ack_user, ack_reason
 *   276-282  WSLimitsMessage: type, characteristic_id, ucl, lcl, center_line
 * </pre>
 * {@link OpenSpcDashboard#handleMessage} is the port of those reads.
 */
class OpenSpcTranslationTest {

    private static final Instant AT = Instant.parse("2026-02-02T12:00:07Z");

    private static Event event(String type, Object characteristicId, Severity severity, String payload) {
        EventDraft.Builder b = EventDraft.builder(type).severity(severity).timestamp(AT).receivedAt(AT).payloadJson(payload);
        if (characteristicId instanceof Integer id) {
            b.characteristicId(id);
        } else if (characteristicId != null) {
            b.characteristicId((String) characteristicId);
        }
        return b.build(1042);
    }

    private static Arguments row(String shape, String type, Object characteristicId, Severity severity, String payload,
                                 String message) {
        return Arguments.of(shape, event(type, characteristicId, severity, payload), message);
    }

    /** The shapes docs/dashboard.md and PROTOCOL document, and OpenSPC's own: each gives what the client reads. */
    static Stream<Arguments> documentedShapes() {
        return Stream.of(
                row("sample, nested, as the demo sends it (docs/dashboard.md; SpcEvents.sample)",
                    "sample", 3, Severity.INFO, """
                        {"sample":{"id":1042,"characteristic_id":3,"timestamp":"2026-02-02T12:00:07.000Z",
                                   "value":12.5364,"mean":12.5364,"range":0.81,"subgroup_size":5,
                                   "measurements":[12.41,12.98,12.17,12.72,12.4],"zone":"beyond_ucl",
                                   "in_control":false},
                         "violations":[{"violation_id":1043,"rule_id":1,"rule_name":"One point beyond 3 sigma",
                                        "severity":"CRITICAL"}],
                         "characteristic_name":"Torque","unit":"N·m"}""", """
                        {"type":"sample","characteristic_id":3,
                         "sample":{"id":1042,"characteristic_id":3,"timestamp":"2026-02-02T12:00:07.000Z",
                                   "mean":12.5364,"value":12.5364,"range":0.81,"subgroup_size":5,
                                   "measurements":[12.41,12.98,12.17,12.72,12.4],"zone":"beyond_ucl",
                                   "in_control":false},
                         "violations":[{"id":1043,"sample_id":1042,"characteristic_id":3,"rule_id":1,
                                        "rule_name":"One point beyond 3 sigma","severity":"CRITICAL",
                                        "violation_id":1043}],
                         "characteristic_name":"Torque","unit":"N·m"}"""),
                row("sample, nested, only the required sample.value (docs/dashboard.md)",
                    "sample", 3, Severity.INFO, """
                        {"sample":{"value":12.5}}""", """
                        {"type":"sample","characteristic_id":3,
                         "sample":{"characteristic_id":3,"timestamp":"2026-02-02T12:00:07Z","mean":12.5,"value":12.5},
                         "violations":[]}"""),
                row("sample, nested, OpenSPC's own (broadcast.py): unchanged",
                    "sample", 1, Severity.INFO, """
                        {"sample":{"id":123,"characteristic_id":1,"timestamp":"2026-02-02T12:00:00+00:00","mean":10.5,
                                   "zone":"zone_c_upper","in_control":true},
                         "violations":[]}""", """
                        {"type":"sample","characteristic_id":1,
                         "sample":{"id":123,"characteristic_id":1,"timestamp":"2026-02-02T12:00:00+00:00","mean":10.5,
                                   "zone":"zone_c_upper","in_control":true},
                         "violations":[]}"""),
                row("sample, nested, OpenSPC's violations already with id: unchanged but for the filled fields",
                    "sample", 1, Severity.INFO, """
                        {"sample":{"id":123,"mean":10.5,"timestamp":"2026-02-02T12:00:00+00:00"},
                         "violations":[{"id":456,"sample_id":123,"rule_id":1,"rule_name":"One point beyond 3 sigma",
                                        "severity":"CRITICAL","acknowledged":false}]}""", """
                        {"type":"sample","characteristic_id":1,
                         "sample":{"id":123,"characteristic_id":1,"timestamp":"2026-02-02T12:00:00+00:00","mean":10.5},
                         "violations":[{"id":456,"sample_id":123,"characteristic_id":1,"rule_id":1,
                                        "rule_name":"One point beyond 3 sigma","severity":"CRITICAL",
                                        "acknowledged":false}]}"""),
                row("sample, flat (docs/dashboard.md: as older OpenSPC versions sent it)",
                    "sample", 3, Severity.INFO, """
                        {"sample_id":1042,"value":12.5364,"zone":"beyond_ucl","in_control":false}""", """
                        {"type":"sample","characteristic_id":3,
                         "sample":{"id":1042,"characteristic_id":3,"timestamp":"2026-02-02T12:00:07Z","mean":12.5364,
                                   "sample_id":1042,"value":12.5364,"zone":"beyond_ucl","in_control":false},
                         "violations":[]}"""),
                row("sample, flat, with its violations",
                    "sample", 3, Severity.INFO, """
                        {"sample_id":1042,"mean":12.5,"timestamp":"2026-02-02T12:00:06Z",
                         "violations":[{"violation_id":1043,"rule_id":1,"severity":"CRITICAL"}]}""", """
                        {"type":"sample","characteristic_id":3,
                         "sample":{"id":1042,"characteristic_id":3,"timestamp":"2026-02-02T12:00:06Z","mean":12.5,
                                   "sample_id":1042},
                         "violations":[{"id":1043,"sample_id":1042,"characteristic_id":3,"rule_id":1,
                                        "severity":"CRITICAL","violation_id":1043}]}"""),
                row("violation, flat, as the demo sends it (docs/dashboard.md; SpcEvents.violation)",
                    "violation", 3, Severity.CRITICAL, """
                        {"violation_id":1043,"sample_id":1042,"characteristic_id":3,"characteristic_name":"Torque",
                         "rule_id":1,"rule_name":"One point beyond 3 sigma","severity":"CRITICAL","value":12.5364,
                         "zone":"beyond_ucl","center_line":12.0016,"ucl":12.4639,"lcl":11.5393,"unit":"N·m",
                         "sample_timestamp":"2026-02-02T12:00:07.000Z"}""", """
                        {"type":"violation","characteristic_id":3,
                         "violation":{"id":1043,"sample_id":1042,"characteristic_id":3,"rule_id":1,
                                      "rule_name":"One point beyond 3 sigma","severity":"CRITICAL",
                                      "timestamp":"2026-02-02T12:00:07Z","violation_id":1043,
                                      "characteristic_name":"Torque","value":12.5364,"zone":"beyond_ucl",
                                      "center_line":12.0016,"ucl":12.4639,"lcl":11.5393,"unit":"N·m",
                                      "sample_timestamp":"2026-02-02T12:00:07.000Z"}}"""),
                row("violation, flat, PROTOCOL section 1's example (severity from the event)",
                    "violation", 1, Severity.CRITICAL, """
                        {"violation_id":456,"sample_id":123,"rule_id":1,"rule_name":"One point beyond 3 sigma"}""", """
                        {"type":"violation","characteristic_id":1,
                         "violation":{"id":456,"sample_id":123,"characteristic_id":1,"rule_id":1,
                                      "rule_name":"One point beyond 3 sigma","severity":"CRITICAL",
                                      "timestamp":"2026-02-02T12:00:07Z","violation_id":456}}"""),
                row("violation, flat, an id the acknowledge endpoint takes as text",
                    "violation", 3, Severity.WARNING, """
                        {"violation_id":"V-7"}""", """
                        {"type":"violation","characteristic_id":3,
                         "violation":{"id":"V-7","characteristic_id":3,"severity":"WARNING",
                                      "timestamp":"2026-02-02T12:00:07Z","violation_id":"V-7"}}"""),
                row("violation, nested, OpenSPC's own (broadcast.py): unchanged",
                    "violation", 2, Severity.WARNING, """
                        {"violation":{"id":457,"sample_id":124,"characteristic_id":2,"rule_id":2,
                                      "rule_name":"Nine points in a row","severity":"WARNING",
                                      "timestamp":"2026-02-02T12:00:00+00:00"}}""", """
                        {"type":"violation","characteristic_id":2,
                         "violation":{"id":457,"sample_id":124,"characteristic_id":2,"rule_id":2,
                                      "rule_name":"Nine points in a row","severity":"WARNING",
                                      "timestamp":"2026-02-02T12:00:00+00:00"}}"""),
                row("control_limits (docs/dashboard.md; SpcEvents.controlLimits) -> limits_update",
                    "control_limits", 2, Severity.INFO, """
                        {"characteristic_id":2,"characteristic_name":"Fill weight","center_line":499.878,
                         "ucl":501.73,"lcl":498.026,"sigma":0.6174,"chart":"xbar","subgroup_size":5,
                         "baseline_subgroups":20,"baseline_last_sample_id":1117,"reason":"recalculated","unit":"g"}""",
                    """
                        {"type":"limits_update","characteristic_id":2,"characteristic_name":"Fill weight",
                         "center_line":499.878,"ucl":501.73,"lcl":498.026,"sigma":0.6174,"chart":"xbar",
                         "subgroup_size":5,"baseline_subgroups":20,"baseline_last_sample_id":1117,
                         "reason":"recalculated","unit":"g"}"""),
                row("ack_update, as POST /api/v1/violations/{id}/ack emits it",
                    "ack_update", 3, Severity.INFO, """
                        {"violation_id":1043,"characteristic_id":3,"acknowledged":true,"ack_user":"m.keller",
                         "ack_reason":"Fixture re-clamped"}""", """
                        {"type":"ack_update","characteristic_id":3,"violation_id":1043,"acknowledged":true,
                         "ack_user":"m.keller","ack_reason":"Fixture re-clamped"}"""));
    }

    /** Shapes no document promises: still OpenSPC's message shape, as far as the payload allows. */
    static Stream<Arguments> otherShapes() {
        return Stream.of(
                row("sample without value or mean: mean is null", "sample", "A-1", Severity.INFO, """
                        {"n":1}""", """
                        {"type":"sample","characteristic_id":"A-1",
                         "sample":{"characteristic_id":"A-1","timestamp":"2026-02-02T12:00:07Z","mean":null,"n":1},
                         "violations":[]}"""),
                row("sample whose violations is not a list: an empty one", "sample", 3, Severity.INFO, """
                        {"sample":{"mean":1.5,"id":"S-9"},"violations":{"violation_id":1}}""", """
                        {"type":"sample","characteristic_id":3,
                         "sample":{"id":"S-9","characteristic_id":3,"timestamp":"2026-02-02T12:00:07Z","mean":1.5},
                         "violations":[]}"""),
                row("sample, nested, null sample fields are filled like absent ones", "sample", 3, Severity.INFO, """
                        {"sample":{"mean":null,"value":2.5,"timestamp":null},"violations":null}""", """
                        {"type":"sample","characteristic_id":3,
                         "sample":{"characteristic_id":3,"timestamp":"2026-02-02T12:00:07Z","mean":2.5,"value":2.5},
                         "violations":[]}"""),
                row("violation without a characteristic on the event: the payload's", "violation", null,
                    Severity.WARNING, """
                        {"violation_id":5,"characteristic_id":9}""", """
                        {"type":"violation","characteristic_id":9,
                         "violation":{"id":5,"characteristic_id":9,"severity":"WARNING",
                                      "timestamp":"2026-02-02T12:00:07Z","violation_id":5}}"""),
                row("a custom type: the payload beside type and characteristic_id, as before", "alert.created", "A-1",
                    Severity.WARNING, """
                        {"message":"Oven door open","characteristic_id":"ignored","type":"ignored"}""", """
                        {"type":"alert.created","characteristic_id":"A-1","message":"Oven door open"}"""),
                row("a custom type without characteristic", "alert.created", null, Severity.INFO, """
                        {"message":"Shift change"}""", """
                        {"type":"alert.created","message":"Shift change"}"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"documentedShapes", "otherShapes"})
    void eachPayloadShapeGivesOpenSpcsMessage(String shape, Event event, String message) {
        assertEquals(TestHub.parse(message), TestHub.parse(json(event)), shape);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentedShapes")
    void openSpcsClientReadsEveryDocumentedShape(String shape, Event event, String message) {
        try (OpenSpcDashboard client = new OpenSpcDashboard("127.0.0.1:1", () -> null)) {
            client.handleMessage(json(event));
            assertEquals(List.of(), client.consoleErrors, shape);
            // Every violation it holds can be removed by its id, as the store does it.
            for (JsonNode v : List.copyOf(client.pendingViolations)) {
                assertTrue(v.hasNonNull("id"), shape + ": a violation without id: " + v);
                client.removePendingViolation(v.get("id"));
            }
            assertEquals(List.of(), client.pendingViolations, shape);
        }
    }

    @Test
    void theFrameIsTheMessageAsOneTextFrame() {
        Event e = event("violation", 3, Severity.CRITICAL, "{\"violation_id\":1}");
        assertArrayEquals(WsFrames.text(OpenSpcTranslation.json(e)), OpenSpcTranslation.frame(e));
    }

    private static String json(Event event) {
        return new String(OpenSpcTranslation.json(event), StandardCharsets.UTF_8);
    }
}
