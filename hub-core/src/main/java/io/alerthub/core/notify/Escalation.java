package io.alerthub.core.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One alarm's escalation under way: which policy, how many of its steps fired, how many repeats of the last, and
 * when the next is due. Ended by an acknowledgement or a clear. Not thread-safe.
 */
final class Escalation {

    final AlarmFacts alarm;
    final int policy;
    /** Steps fired so far (0: none yet). */
    int fired;
    /** Repeats of the last step so far. */
    int repeats;
    /** When the next step or repeat is due, epoch millis. */
    long nextDue;

    Escalation(AlarmFacts alarm, int policy, int fired, int repeats, long nextDue) {
        this.alarm = alarm;
        this.policy = policy;
        this.fired = fired;
        this.repeats = repeats;
        this.nextDue = nextDue;
    }

    ObjectNode toJson(ObjectNode o) {
        alarm.toJson(o.putObject("alarm"));
        return o.put("policy", policy).put("fired", fired).put("repeats", repeats).put("next_due", nextDue);
    }

    static Escalation fromJson(JsonNode o) {
        return new Escalation(AlarmFacts.fromJson(o.path("alarm")), o.path("policy").asInt(), o.path("fired").asInt(),
                              o.path("repeats").asInt(), o.path("next_due").asLong());
    }
}
