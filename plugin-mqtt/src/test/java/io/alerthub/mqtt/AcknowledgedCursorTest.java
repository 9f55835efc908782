package io.alerthub.mqtt;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import io.alerthub.spi.Health;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The plugin's durable cursor passes an event only once the broker acknowledged it: events the broker received
 * but whose PUBACKs never reached the hub are published again after a restart (at least once), and nothing
 * acknowledged is.
 */
class AcknowledgedCursorTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void unacknowledgedEventsArePublishedAgainAfterARestart() throws Exception {
        TestBroker broker = Brokers.shared();
        String prefix = "cursor-test/" + UUID.randomUUID();
        try (TcpRelay relay = new TcpRelay(broker.port());
             TestSubscriber subscriber = TestSubscriber.open(broker.uri(), prefix + "/#");
             HubHarness hub = HubHarness.startConnected(dir, relay.uri(), """
                     drain-timeout: 500ms
                     topic-template: "%s/{characteristic_id}/{type}"
                     """.formatted(prefix), WAIT)) {
            hub.post(violations(3));
            subscriber.await(3, WAIT);
            await("acknowledged").atMost(WAIT).until(() -> hub.mqtt().details().get("held").equals(0));

            relay.holdReplies(true);
            hub.post(violations(5));
            subscriber.await(8, WAIT);
            await("the broker has them, the hub has no PUBACK: held").atMost(WAIT)
                    .until(() -> hub.mqtt().details().get("held").equals(5));
            assertEquals(8, hub.mqtt().cursor(), "the lane handed all of them to the plugin");

            hub.restart();
            relay.holdReplies(false);
            hub.awaitState(Health.State.UP, WAIT);
            List<Long> seqs = subscriber.await(13, WAIT).stream().map(TestSubscriber.Received::seq).toList();
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 4L, 5L, 6L, 7L, 8L), seqs,
                         "4..8 again after the restart, 1..3 never");
            await().atMost(WAIT).until(() -> hub.mqtt().details().get("held").equals(0));
        }
    }

    private static List<String> violations(int n) {
        return Collections.nCopies(n, "{\"type\":\"violation\",\"characteristic_id\":1,\"payload\":{}}");
    }
}
