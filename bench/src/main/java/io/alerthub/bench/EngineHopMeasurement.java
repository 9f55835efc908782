package io.alerthub.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.HdrHistogram.Histogram;

/**
 * What cluster mode's round trips to NATS JetStream cost on this machine, one at a time (docs/performance.md,
 * <em>Cluster mode</em>; the choice of a KV cursor over a durable consumer in docs/architecture.md):
 * <ul>
 *   <li>a publish until its acknowledgement (what ingest waits for before 202);</li>
 *   <li>a publish until an ordered push consumer (an instance's mirror) has the message: the engine hop of fan-out;</li>
 *   <li>a KV compare-and-set write (a lane storing its cursor with its lease);</li>
 *   <li>a durable pull consumer's fetch of one message plus its acknowledgement (the alternative: the cursor as the
 *       consumer's ack floor).</li>
 * </ul>
 * {@code java -cp bench/target/bench.jar:bench/target/lib/* io.alerthub.bench.EngineHopMeasurement [nats-url] [n]}
 * on a stream and a bucket of its own, deleted at the end.
 */
public final class EngineHopMeasurement {

    private EngineHopMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "nats://127.0.0.1:4222";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        String name = "HOP_" + UUID.randomUUID().toString().substring(0, 8);
        String subject = "hop." + name;
        // The client's default error listener logs every flow-control reply at INFO; nothing here is worth a line.
        try (Connection c = Nats.connect(new Options.Builder().server(url).errorListener(new ErrorListener() { })
                                                 .build())) {
            JetStreamManagement jsm = c.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name(name).subjects(subject).storageType(StorageType.File)
                                  .duplicateWindow(Duration.ofMinutes(10)).build());
            c.keyValueManagement().create(KeyValueConfiguration.builder().name(name).storageType(StorageType.File)
                                                  .maxHistoryPerKey(1).build());
            try {
                JetStream js = c.jetStream();
                byte[] body = new byte[300];
                Histogram publish = new Histogram(60_000_000L, 3);
                Histogram hop = new Histogram(60_000_000L, 3);
                BlockingQueue<Long> arrived = new LinkedBlockingQueue<>();
                Dispatcher d = c.createDispatcher();
                js.subscribe(subject, d, m -> arrived.add(System.nanoTime()), false,
                             PushSubscribeOptions.builder().ordered(true).build());
                for (int i = 0; i < n + 500; i++) {
                    long start = System.nanoTime();
                    js.publish(subject, body);
                    long acked = System.nanoTime();
                    long got = arrived.take();
                    if (i >= 500) { // the first ones warm the JIT and the connection
                        publish.recordValue((acked - start) / 1000);
                        hop.recordValue((Math.max(got, start) - start) / 1000);
                    }
                }
                KeyValue kv = c.keyValue(name);
                Histogram cas = new Histogram(60_000_000L, 3);
                long revision = kv.create("lane.mqtt", "{\"holder\":\"a\",\"cursor\":0}".getBytes(StandardCharsets.UTF_8));
                for (int i = 1; i <= n + 500; i++) {
                    byte[] value = ("{\"holder\":\"a\",\"cursor\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                    long start = System.nanoTime();
                    revision = kv.update("lane.mqtt", value, revision);
                    if (i > 500) {
                        cas.recordValue((System.nanoTime() - start) / 1000);
                    }
                }
                JetStreamSubscription pull = js.subscribe(subject, PullSubscribeOptions.builder().durable("lane-mqtt")
                        .configuration(ConsumerConfiguration.builder().ackPolicy(AckPolicy.Explicit).build()).build());
                Histogram fetchAck = new Histogram(60_000_000L, 3);
                for (int i = 0; i < n + 500; i++) {
                    long start = System.nanoTime();
                    List<Message> got = pull.fetch(1, Duration.ofSeconds(5));
                    if (got.isEmpty()) {
                        break;
                    }
                    got.getFirst().ackSync(Duration.ofSeconds(5));
                    if (i >= 500) {
                        fetchAck.recordValue((System.nanoTime() - start) / 1000);
                    }
                }
                System.out.println("NATS " + c.getServerInfo().getVersion() + " at " + url + ", " + n
                                           + " round trips each, one at a time, 300-byte events:");
                line("publish until acknowledged (ingest's wait)", publish);
                line("publish until a mirror has it (fan-out's hop)", hop);
                line("KV compare-and-set (a cursor with its lease)", cas);
                line("durable consumer: fetch 1 + ack (the alternative)", fetchAck);
            } finally {
                deleteQuietly(jsm, name);
                deleteQuietly(jsm, "KV_" + name);
            }
        }
    }

    private static void line(String what, Histogram h) {
        System.out.printf(Locale.ROOT, "  %-50s p50 %6.0f us   p99 %6.0f us   max %7.0f us%n", what,
                          (double) h.getValueAtPercentile(50), (double) h.getValueAtPercentile(99),
                          (double) h.getMaxValue());
    }

    private static void deleteQuietly(JetStreamManagement jsm, String stream) throws IOException {
        try {
            jsm.deleteStream(stream);
        } catch (JetStreamApiException e) {
            // gone already
        }
    }
}
