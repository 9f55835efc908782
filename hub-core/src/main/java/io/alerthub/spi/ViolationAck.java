package io.alerthub.spi;

import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An operator's acknowledgement of a violation; the hub turns it into an {@code ack_update} event.
 *
 * @param violationId      the violation, as text
 * @param violationNumeric whether the violation id goes out as a JSON number
 * @param user             who acknowledged
 * @param reason           why (may be empty)
 * @param characteristicId the violation's characteristic, or {@code null}
 * @param characteristicNumeric whether the characteristic id goes out as a JSON number
 */
public record ViolationAck(String violationId, boolean violationNumeric, String user, String reason,
                           String characteristicId, boolean characteristicNumeric) {

    private static final Pattern NUMBER = Pattern.compile("-?\\d{1,18}");
    private static final Set<String> FIELDS = Set.of("user", "reason", "characteristic_id");

    /** A body that is not an acknowledgement; {@link #field()} names the culprit ({@code null}: the body itself). */
    public static final class InvalidAckException extends IllegalArgumentException {
        private final String field;

        public InvalidAckException(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /**
     * Reads an acknowledgement as the HTTP endpoint and the MQTT bridge receive it:
     * {@code {"user":"operator1","reason":"Process adjusted","characteristic_id":1}} for the violation
     * {@code violationId} (a number when it is an integer). The values are checked when the hub turns it into
     * an event ({@link HubContext#acknowledge}); this checks the shape.
     *
     * @throws InvalidAckException naming the field that is wrong
     */
    public static ViolationAck fromJson(String violationId, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidAckException(null, "the body must be a JSON object: {\"user\":..,\"reason\":..}");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new InvalidAckException(name, "unknown field " + printable(name)
                        + "; an acknowledgement has user, reason and characteristic_id");
            }
        }
        JsonNode user = body.get("user");
        JsonNode reason = body.get("reason");
        JsonNode characteristic = body.get("characteristic_id");
        if (user != null && !user.isTextual()) {
            throw new InvalidAckException("user", "user must be a string");
        }
        if (reason != null && !reason.isNull() && !reason.isTextual()) {
            throw new InvalidAckException("reason", "reason must be a string");
        }
        String characteristicId = null;
        boolean characteristicNumeric = false;
        if (characteristic != null && !characteristic.isNull()) {
            if (characteristic.isIntegralNumber() && characteristic.canConvertToLong()) {
                characteristicId = Long.toString(characteristic.asLong());
                characteristicNumeric = true;
            } else if (characteristic.isTextual()) {
                characteristicId = characteristic.asText();
            } else {
                throw new InvalidAckException("characteristic_id", "characteristic_id must be an integer or a string");
            }
        }
        return new ViolationAck(violationId, violationId != null && NUMBER.matcher(violationId).matches(),
                                user == null ? null : user.asText(),
                                reason == null || reason.isNull() ? "" : reason.asText(),
                                characteristicId, characteristicNumeric);
    }

    private static String printable(String s) {
        String shown = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
