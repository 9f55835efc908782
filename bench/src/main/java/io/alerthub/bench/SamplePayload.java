package io.alerthub.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The event every scenario publishes: an SPC sample of about 300 bytes, as OpenSPC's engine posts one, carrying the
 * generator's stamps in {@code payload.bench}: {@code sent_ns} (epoch nanoseconds when the request was written; the
 * subscribers are on the same machine and read the same clock) and {@code pseq} (the publisher's sequence on the
 * event's topic, from which subscribers count lost and out-of-order deliveries).
 */
final class SamplePayload {

    static final String SENT_NS = "\"sent_ns\":";
    static final String PSEQ = "\"pseq\":";
    static final String SEQ = "\"seq\":";

    private SamplePayload() {
    }

    /** Epoch nanoseconds now (the stamp both sides use). */
    static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** The payload object: the sample, and the generator's stamps. */
    static StringBuilder payload(StringBuilder b, int characteristic, long pseq, long sentNanos) {
        long sampleId = pseq * 131 + characteristic;
        int wiggle = (int) (pseq % 17);
        return b.append("{\"sample\":{\"sample_id\":").append(sampleId)
                .append(",\"characteristic_id\":").append(characteristic)
                .append(",\"value\":10.5").append(wiggle).append("3,\"mean\":10.5,\"range\":0.42")
                .append(",\"ucl\":10.95,\"lcl\":10.05,\"zone\":\"zone_c_upper\",\"in_control\":true")
                .append(",\"measurements\":[10.49,10.53,10.51,10.56,10.52],\"operator\":\"bench\"}")
                .append(",\"violations\":[],\"bench\":{").append(SENT_NS).append(sentNanos)
                .append(',').append(PSEQ).append(pseq).append("}}");
    }

    /** One event as a producer posts it. */
    static byte[] event(int characteristic, long pseq, long sentNanos) {
        return event(new StringBuilder(400), characteristic, pseq, sentNanos).toString()
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static StringBuilder event(StringBuilder b, int characteristic, long pseq, long sentNanos) {
        b.append("{\"type\":\"sample\",\"characteristic_id\":").append(characteristic)
                .append(",\"severity\":\"INFO\",\"payload\":");
        return payload(b, characteristic, pseq, sentNanos).append('}');
    }

    /**
     * The event as the hub sends it to subscribers (its wire form), for peers that receive it without the hub: the
     * MQTT scenario's direct publish to Mosquitto.
     */
    static byte[] wireForm(int characteristic, long seq, long pseq, long sentNanos) {
        StringBuilder b = new StringBuilder(480);
        b.append("{\"type\":\"sample\",\"seq\":").append(seq)
                .append(",\"topic\":\"characteristic:").append(characteristic)
                .append("\",\"topics\":[\"characteristic:").append(characteristic)
                .append("\"],\"characteristic_id\":").append(characteristic)
                .append(",\"severity\":\"INFO\",\"timestamp\":\"").append(Instant.ofEpochMilli(sentNanos / 1_000_000))
                .append("\",\"payload\":");
        payload(b, characteristic, pseq, sentNanos).append('}');
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** A batch as a producer posts it: {@code {"events":[...]}}. */
    static byte[] batch(int size, int characteristics, long firstPseq) {
        int[] c = new int[size];
        long[] pseqs = new long[size];
        for (int i = 0; i < size; i++) {
            c[i] = 1 + i % characteristics;
            pseqs[i] = firstPseq + i;
        }
        return batch(c, pseqs, epochNanos());
    }

    /** A batch of the events {@code (characteristics[i], pseqs[i])}, all stamped {@code sentNanos}. */
    static byte[] batch(int[] characteristics, long[] pseqs, long sentNanos) {
        StringBuilder b = new StringBuilder(characteristics.length * 400 + 16).append("{\"events\":[");
        for (int i = 0; i < characteristics.length; i++) {
            event(i > 0 ? b.append(',') : b, characteristics[i], pseqs[i], sentNanos);
        }
        return b.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The non-negative whole number after {@code key} in {@code text}, from {@code from}; -1 when absent. */
    static long number(String text, String key, int from) {
        int at = text.indexOf(key, from);
        if (at < 0) {
            return -1;
        }
        long v = 0;
        boolean any = false;
        for (int i = at + key.length(); i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            v = v * 10 + (c - '0');
            any = true;
        }
        return any ? v : -1;
    }
}
