package io.alerthub.bench.micro;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.alerthub.core.event.EventDraft;
import io.alerthub.spi.Event;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The event's one wire form ({@code Event.json()}): serialized once at ingest ({@code draft()}, everything but the
 * seq), then numbered under the ingest lock ({@code withSeq}, which only splices the number in).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EventSerializationBenchmark {

    private EventDraft draft;
    private long seq;

    @Setup
    public void setUp() {
        draft = builder().draft();
    }

    static EventDraft.Builder builder() {
        return EventDraft.builder("sample").characteristicId(7).topic("line:3").receivedAt(Instant.EPOCH)
                .timestamp(Instant.parse("2026-02-02T12:00:00Z")).payloadJson(MicroPayloads.SAMPLE);
    }

    /** Builder to draft: the event serialized without its seq (at ingest, outside the lock). */
    @Benchmark
    public EventDraft draft() {
        return builder().draft();
    }

    /** Numbering: the seq spliced into the serialized draft (under the ingest lock). */
    @Benchmark
    public byte[] withSeq() {
        return draft.withSeq(++seq).json();
    }
}
