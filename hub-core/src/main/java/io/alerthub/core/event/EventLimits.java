package io.alerthub.core.event;

/**
 * Size limits of ingest.
 *
 * @param maxPayloadBytes the largest serialized payload
 * @param maxPayloadDepth the deepest payload nesting (the payload object itself is depth 1)
 * @param maxBatchEvents  the most events in one request
 * @param maxBodyBytes    the largest request body
 */
public record EventLimits(int maxPayloadBytes, int maxPayloadDepth, int maxBatchEvents, int maxBodyBytes) {

    public static final int MAX_TOPICS = 16;
    public static final int MAX_ID_LENGTH = 128;
    public static final int MAX_PAYLOAD_DEPTH = 32;
}
