package io.alerthub.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Publish-to-receive latencies of every delivery, in microseconds, recorded wait-free from every subscriber's
 * thread into one HdrHistogram {@link Recorder}; each step takes its own interval histogram.
 */
final class LatencyRecorder {

    /** One hour: anything later is clamped (and is a failure at any rate). */
    static final long HIGHEST_MICROS = 3_600_000_000L;

    private final Recorder recorder = new Recorder(HIGHEST_MICROS, 3);
    /** Also records every value, or {@code null}: the whole of a cluster beside each of its instances. */
    private final LatencyRecorder also;

    LatencyRecorder() {
        this(null);
    }

    /** A recorder that also records every value into {@code also}. */
    LatencyRecorder(LatencyRecorder also) {
        this.also = also;
    }

    void record(long micros) {
        recorder.recordValue(Math.clamp(micros, 0, HIGHEST_MICROS));
        if (also != null) {
            also.record(micros);
        }
    }

    /** Forgets what was recorded so far (the start of a step). */
    void reset() {
        recorder.reset();
    }

    /** What was recorded since the last call or reset. */
    Histogram interval() {
        return recorder.getIntervalHistogram();
    }
}
