package io.alerthub.simulator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The events the simulator publishes, shaped like OpenSPC's so its users recognise them (docs/dashboard.md
 * describes each field). Every event carries a producer {@code id}, so a batch posted twice after a timeout is
 * dispatched once.
 */
final class SpcEvents {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private SpcEvents() {
    }

    /**
     * A violation found on a sample.
     *
     * @param id   the violation id (what the acknowledge endpoint takes)
     * @param rule the rule it tripped
     */
    record Violation(long id, NelsonRule rule) {
    }

    /**
     * {@code sample}: payload {@code {"sample":{..},"violations":[..],"characteristic_name":..,"unit":..}}, the
     * shape OpenSPC's own WebSocket sends. {@code zone} is null while the baseline for the first limits is being
     * collected.
     */
    static ObjectNode sample(CharacteristicSpec c, Subgroup s, ControlLimits limits, List<Violation> violations) {
        int digits = c.decimals() + 2;
        ObjectNode sample = JSON.objectNode();
        sample.put("id", s.id());
        sample.put("characteristic_id", c.id());
        sample.put("timestamp", timestamp(s.timestamp()));
        sample.set("value", number(s.mean(), digits));
        sample.set("mean", number(s.mean(), digits));
        if (s.size() > 1) {
            sample.set("range", number(s.range(), digits));
        }
        sample.put("subgroup_size", s.size());
        ArrayNode measurements = sample.putArray("measurements");
        for (double m : s.measurements()) {
            measurements.add(number(m, c.decimals()));
        }
        if (limits == null) {
            sample.putNull("zone");
        } else {
            sample.put("zone", limits.zone(s.mean()));
        }
        sample.put("in_control", violations.isEmpty());

        ObjectNode payload = JSON.objectNode();
        payload.set("sample", sample);
        ArrayNode list = payload.putArray("violations");
        for (Violation v : violations) {
            ObjectNode item = list.addObject();
            item.put("violation_id", v.id());
            item.put("rule_id", v.rule().id());
            item.put("rule_name", v.rule().title());
            item.put("severity", v.rule().severity());
        }
        payload.put("characteristic_name", c.name());
        payload.put("unit", c.unit());
        return event("sample", c, "demo-sample-" + s.id(), null, s.timestamp(), payload);
    }

    /**
     * {@code violation}: CRITICAL for rule 1 (it asks dashboards for an acknowledgement), WARNING for the
     * patterns.
     */
    static ObjectNode violation(CharacteristicSpec c, Subgroup s, ControlLimits limits, Violation v) {
        int digits = c.decimals() + 2;
        ObjectNode payload = JSON.objectNode();
        payload.put("violation_id", v.id());
        payload.put("sample_id", s.id());
        payload.put("characteristic_id", c.id());
        payload.put("characteristic_name", c.name());
        payload.put("rule_id", v.rule().id());
        payload.put("rule_name", v.rule().title());
        payload.put("severity", v.rule().severity());
        payload.set("value", number(s.mean(), digits));
        payload.put("zone", limits.zone(s.mean()));
        payload.set("center_line", number(limits.centerLine(), digits));
        payload.set("ucl", number(limits.ucl(), digits));
        payload.set("lcl", number(limits.lcl(), digits));
        payload.put("unit", c.unit());
        payload.put("sample_timestamp", timestamp(s.timestamp()));
        return event("violation", c, "demo-violation-" + v.id(), v.rule().severity(), s.timestamp(), payload);
    }

    /**
     * {@code control_limits}: the limits in force from the next sample on.
     *
     * @param lastBaselineSample the newest subgroup of the baseline they were estimated from
     * @param baselineSize       how many subgroups that baseline had
     * @param reason             why they were (re)computed
     */
    static ObjectNode controlLimits(CharacteristicSpec c, ControlLimits limits, Subgroup lastBaselineSample,
                                    int baselineSize, String reason) {
        int digits = c.decimals() + 2;
        ObjectNode payload = JSON.objectNode();
        payload.put("characteristic_id", c.id());
        payload.put("characteristic_name", c.name());
        payload.set("center_line", number(limits.centerLine(), digits));
        payload.set("ucl", number(limits.ucl(), digits));
        payload.set("lcl", number(limits.lcl(), digits));
        payload.set("sigma", number(limits.sigma(), digits + 1));
        payload.put("chart", limits.subgroupSize() > 1 ? "xbar" : "individuals");
        payload.put("subgroup_size", limits.subgroupSize());
        payload.put("baseline_subgroups", baselineSize);
        payload.put("baseline_last_sample_id", lastBaselineSample.id());
        payload.put("reason", reason);
        payload.put("unit", c.unit());
        return event("control_limits", c, "demo-limits-" + lastBaselineSample.id(), null,
                     lastBaselineSample.timestamp(), payload);
    }

    /** The production line a characteristic belongs to: four characteristics to a line. */
    static String lineTopic(CharacteristicSpec c) {
        return "line:" + ((c.id() - 1) / 4 + 1);
    }

    private static ObjectNode event(String type, CharacteristicSpec c, String id, String severity, Instant at,
                                    ObjectNode payload) {
        ObjectNode e = JSON.objectNode();
        e.put("type", type);
        e.put("characteristic_id", c.id());
        e.putArray("topics").add(lineTopic(c));
        if (severity != null) {
            e.put("severity", severity);
        }
        e.put("id", id);
        e.put("timestamp", timestamp(at));
        e.set("payload", payload);
        return e;
    }

    private static String timestamp(Instant at) {
        return at.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static com.fasterxml.jackson.databind.JsonNode number(double v, int digits) {
        return JSON.numberNode(BigDecimal.valueOf(v).setScale(digits, RoundingMode.HALF_EVEN).stripTrailingZeros()
                                       .doubleValue());
    }
}
