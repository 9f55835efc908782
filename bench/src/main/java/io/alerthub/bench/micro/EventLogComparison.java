package io.alerthub.bench.micro;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.alerthub.core.event.EventDraft;
import io.alerthub.core.config.FsyncPolicy;
import io.alerthub.core.config.LogSettings;
import io.alerthub.core.log.SegmentedEventLog;
import io.alerthub.spi.Event;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The measurement behind docs/architecture.md's choice of a segment file for the event log: appending a batch of
 * ~300-byte events and forcing it to disk, with the hub's {@link SegmentedEventLog} and with H2's MVStore (commit
 * then sync), one event per batch and 100. The time is per synced batch; events/s is the batch size over it.
 * {@link #diskUse} adds the disk each store takes for 2,000 single-event batches.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EventLogComparison {

    @Param({"segment-file", "h2-mvstore"})
    public String store;

    @Param({"1", "100"})
    public int batch;

    private Path dir;
    private Appender appender;

    /** One store, appending batches. */
    interface Appender extends AutoCloseable {
        void append(List<EventDraft> drafts);

        @Override
        void close();
    }

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("alerthub-logbench");
        appender = open(store, dir);
    }

    @TearDown(Level.Trial)
    public void close() {
        appender.close();
        delete(dir);
    }

    /** One batch appended and forced to disk. */
    @Benchmark
    public void appendSynced() {
        List<EventDraft> drafts = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            drafts.add(EventDraft.builder("sample").characteristicId(i).receivedAt(Instant.now())
                               .payloadJson(MicroPayloads.SAMPLE).draft());
        }
        appender.append(drafts);
    }

    static Appender open(String store, Path dir) {
        return switch (store) {
            case "segment-file" -> {
                SegmentedEventLog log = SegmentedEventLog.open(dir, new LogSettings(FsyncPolicy.BATCH,
                        Duration.ofMillis(100), 1_000_000, Duration.ofDays(7), 64L << 20), 10_000,
                                                               Clock.systemUTC());
                yield new Appender() {
                    @Override
                    public void append(List<EventDraft> drafts) {
                        log.append(drafts);
                    }

                    @Override
                    public void close() {
                        log.close();
                    }
                };
            }
            case "h2-mvstore" -> {
                MVStore mv = new MVStore.Builder().fileName(dir.resolve("log.mv").toString()).autoCommitDisabled()
                        .open();
                MVMap<Long, byte[]> map = mv.openMap("events");
                yield new Appender() {
                    private long seq;

                    @Override
                    public void append(List<EventDraft> drafts) {
                        for (EventDraft d : drafts) {
                            seq++;
                            map.put(seq, d.withSeq(seq).json());
                        }
                        mv.commit();
                        mv.sync();
                    }

                    @Override
                    public void close() {
                        mv.close();
                    }
                };
            }
            default -> throw new IllegalArgumentException("unknown store " + store);
        };
    }

    /** Bytes on disk after 2,000 single-event synced batches, per store. */
    public static long diskUse(String store) {
        Path d = null;
        try {
            d = Files.createTempDirectory("alerthub-logbench-disk");
            try (Appender a = open(store, d)) {
                for (int i = 0; i < 2000; i++) {
                    a.append(List.of(EventDraft.builder("sample").characteristicId(i).receivedAt(Instant.now())
                                             .payloadJson(MicroPayloads.SAMPLE).draft()));
                }
            }
            try (Stream<Path> files = Files.walk(d)) {
                return files.filter(Files::isRegularFile).mapToLong(p -> {
                    try {
                        return Files.size(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).sum();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (d != null) {
                delete(d);
            }
        }
    }

    private static void delete(Path d) {
        try (Stream<Path> files = Files.walk(d)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
