package io.alerthub.bench.micro;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.alerthub.core.event.EventDraft;
import io.alerthub.core.event.EventLimits;
import io.alerthub.core.event.EventParser;
import io.alerthub.core.notify.Silences;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What silences cost ingest: a POSTed body parsed ({@link EventParser}) and then judged against the silences
 * ({@link Silences} as the ingest's stamp), with no silence (the usual case), 10 or 100 that match nothing, and 10
 * of which one matches every event (each is then stamped {@code "silenced":true}). {@code parseOnly} is the same body
 * without the silences, the cost before they existed. Longer iterations than the others: the differences measured
 * are small, and the machines shared.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 8, time = 2)
@Fork(1)
public class SilenceStampBenchmark {

    /** {@code none}, {@code 10-other}, {@code 100-other}, {@code 10-one-matching}. */
    @Param({"none", "10-other", "100-other", "10-one-matching"})
    public String silences;

    private final EventParser parser = new EventParser(new EventLimits(65_536, 32, 1000, 1 << 20),
                                                       Clock.systemUTC());
    private final byte[] single = MicroPayloads.single();
    private final byte[] batch = MicroPayloads.batch(100);
    private Silences stamp;

    @Setup(Level.Trial)
    public void silences() throws IOException {
        Path dir = Files.createTempDirectory("alerthub-bench-silences");
        stamp = Silences.open(dir.resolve("silences.json"), Clock.systemUTC());
        ObjectMapper json = new ObjectMapper();
        int n = switch (silences) {
            case "none" -> 0;
            case "100-other" -> 100;
            default -> 10;
        };
        for (int i = 0; i < n; i++) {
            // MicroPayloads' events are on line:3, characteristics 1..100
            String topic = silences.equals("10-one-matching") && i == n - 1 ? "line:3" : "line:9" + i;
            ObjectNode body = json.createObjectNode();
            body.putObject("matchers").put("topic", topic);
            body.put("duration", "PT24H").put("created_by", "bench");
            stamp.create(body);
        }
    }

    @Benchmark
    public List<EventDraft> oneEvent() {
        return stamp.apply(parser.parse(new ByteArrayInputStream(single)));
    }

    @Benchmark
    public List<EventDraft> batchOf100() {
        return stamp.apply(parser.parse(new ByteArrayInputStream(batch)));
    }

    @Benchmark
    public List<EventDraft> parseOnlyOneEvent() {
        return parser.parse(new ByteArrayInputStream(single));
    }
}
