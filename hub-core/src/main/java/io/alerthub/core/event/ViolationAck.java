package io.alerthub.core.event;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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

    /** The largest acknowledgement body, over HTTP or MQTT. */
    public static final int MAX_BODY = 16 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads an acknowledgement body as the HTTP endpoint and a plugin ({@code HubContext.acknowledge}, the MQTT
     * bridge) receive it: at most {@link #MAX_BODY} bytes of JSON.
     *
     * @throws InvalidEventException naming what is wrong (413 for a body too large, 400 otherwise)
     */
    public static ViolationAck read(String violationId, byte[] body) {
        if (body.length > MAX_BODY) {
            throw new InvalidEventException(InvalidEventException.Kind.TOO_LARGE, null,
                                            "an acknowledgement body must be at most " + MAX_BODY + " bytes");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(InvalidEventException.Kind.INVALID_JSON, null,
                                            "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fromJson(violationId, tree);
    }

    /**
     * Reads an acknowledgement: {@code {"user":"operator1","reason":"Process adjusted","characteristic_id":1}} for
     * the violation {@code violationId} (a number when it is an integer). The values are checked when the hub turns
     * it into an event ({@link Acknowledgements#draft}); this checks the shape.
     *
     * @throws InvalidEventException naming the field that is wrong
     */
    static ViolationAck fromJson(String violationId, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw invalid(null, "the body must be a JSON object: {\"user\":..,\"reason\":..}");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw invalid(name, "unknown field " + printable(name)
                        + "; an acknowledgement has user, reason and characteristic_id");
            }
        }
        JsonNode user = body.get("user");
        JsonNode reason = body.get("reason");
        JsonNode characteristic = body.get("characteristic_id");
        if (user != null && !user.isTextual()) {
            throw invalid("user", "user must be a string");
        }
        if (reason != null && !reason.isNull() && !reason.isTextual()) {
            throw invalid("reason", "reason must be a string");
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
                throw invalid("characteristic_id", "characteristic_id must be an integer or a string");
            }
        }
        return new ViolationAck(violationId, violationId != null && NUMBER.matcher(violationId).matches(),
                                user == null ? null : user.asText(),
                                reason == null || reason.isNull() ? "" : reason.asText(),
                                characteristicId, characteristicNumeric);
    }

    private static InvalidEventException invalid(String field, String message) {
        return new InvalidEventException(InvalidEventException.Kind.INVALID_EVENT, field, message);
    }

    private static String printable(String s) {
        String shown = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
