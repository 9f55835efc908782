package io.alerthub.spi;

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
}
