package io.alerthub.bench;

import java.nio.charset.StandardCharsets;

/** Finding the generator's stamps in a received message's bytes, without decoding it. */
final class Stamps {

    static final byte[] SENT_NS = SamplePayload.SENT_NS.getBytes(StandardCharsets.US_ASCII);
    static final byte[] PSEQ = SamplePayload.PSEQ.getBytes(StandardCharsets.US_ASCII);
    static final byte[] SEQ = SamplePayload.SEQ.getBytes(StandardCharsets.US_ASCII);

    private Stamps() {
    }

    /** Where {@code key} starts in {@code a[from..to)}; -1 when it is not there. */
    static int indexOf(byte[] a, byte[] key, int from, int to) {
        byte first = key[0];
        int last = to - key.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (a[i] != first) {
                continue;
            }
            for (int k = 1; k < key.length; k++) {
                if (a[i + k] != key[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The non-negative whole number starting at {@code from}; -1 when there is no digit there. */
    static long digits(byte[] a, int from, int to) {
        long v = 0;
        int i = from;
        while (i < to && a[i] >= '0' && a[i] <= '9') {
            v = v * 10 + (a[i] - '0');
            i++;
        }
        return i == from ? -1 : v;
    }
}
