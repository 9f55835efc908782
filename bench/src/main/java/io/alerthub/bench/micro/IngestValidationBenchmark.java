package io.alerthub.bench.micro;

import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.alerthub.core.event.EventDraft;
import io.alerthub.core.event.EventLimits;
import io.alerthub.core.event.EventParser;
import io.alerthub.spi.Event;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ingest validation: {@link EventParser} reading a POSTed body with every rule of the event contract checked as
 * the tokens go by, and each event serialized into its draft. One event, and a batch of 100.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IngestValidationBenchmark {

    private final EventParser parser = new EventParser(new EventLimits(65_536, 32, 1000, 1 << 20),
                                                       Clock.systemUTC());
    private final byte[] single = MicroPayloads.single();
    private final byte[] batch = MicroPayloads.batch(100);

    @Benchmark
    public List<EventDraft> oneEvent() {
        return parser.parse(new ByteArrayInputStream(single));
    }

    @Benchmark
    public List<EventDraft> batchOf100() {
        return parser.parse(new ByteArrayInputStream(batch));
    }
}
